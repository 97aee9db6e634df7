-- The token of a scan's current claim: a worker whose lease ran out (and whose scan was claimed again) can no longer
-- record a result, so a scan is announced once per claim that counts.
alter table image_scan add column claim_token uuid;
