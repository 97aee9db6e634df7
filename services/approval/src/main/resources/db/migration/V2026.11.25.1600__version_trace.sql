-- The W3C trace context of the scan that last recorded the version, so that a decision taken later by a person
-- (another request, another trace) publishes its event in the image's trace.
alter table model_version add column traceparent varchar(55);
alter table model_version add column tracestate varchar(512);
