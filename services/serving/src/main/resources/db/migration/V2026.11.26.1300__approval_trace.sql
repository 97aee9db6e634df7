-- The W3C trace context ModelApproved arrived in (the image's trace), so that the announcements of a deployment of
-- the version, written later from the status watch or another request, continue that trace.
alter table approved_version add column traceparent varchar(55);
alter table approved_version add column tracestate varchar(512);
