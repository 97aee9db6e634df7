-- The image exactly as discovery described it (labels, annotations, platform, size, creation time, media type):
-- ScanCompleted carries it on, first scan and every rescan alike, and approval reads the model's annotations from it.
alter table image_scan add column image jsonb;

-- Rows from before this column: what the row itself knows. Their labels and annotations were never stored, so they stay
-- empty until the digest is discovered again (DiscoveryConsumer fills in what a stored descriptor lacks).
update image_scan set image = jsonb_build_object(
        'connectionId', connection_id,
        'registry', registry,
        'repository', repository,
        'tag', tag,
        'digest', digest,
        'reference', reference,
        'sizeBytes', 0,
        'labels', '{}'::jsonb,
        'annotations', '{}'::jsonb)
    where image is null;

alter table image_scan alter column image set not null;
