-- One scan record per image digest: the digest is what gets scanned, whatever tags point at it.
create table image_scan (
    id                  uuid primary key,
    digest              varchar(255)  not null unique,
    reference           varchar(1024) not null,
    registry            varchar(255)  not null,
    repository          varchar(255)  not null,
    tag                 varchar(128),
    connection_id       varchar(255)  not null,
    status              varchar(16)   not null,
    requested_at        timestamptz   not null,
    discovery_event_id  uuid          not null
);
