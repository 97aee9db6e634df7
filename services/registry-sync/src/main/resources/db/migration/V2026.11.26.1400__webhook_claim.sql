-- A webhook event is claimed by one worker before it is processed, so a sweep or another instance never runs it twice;
-- a claim older than the sweep's stale limit (its worker died) may be taken again.
alter table webhook_delivery add column claimed_at timestamptz;
