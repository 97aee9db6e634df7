-- The trace of the discovery that queued a scan, so the worker's scan and its ScanCompleted continue it.
alter table image_scan add column traceparent varchar(55);
alter table image_scan add column tracestate varchar(512);
