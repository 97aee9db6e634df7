-- Every image registry-sync has announced, however it was found.
create table discovered_image (
    id              uuid primary key,
    connection_id   varchar(255)  not null,
    registry        varchar(255)  not null,
    repository      varchar(255)  not null,
    tag             varchar(128),
    digest          varchar(255)  not null,
    reference       varchar(1024) not null,
    media_type      varchar(255),
    discovered_by   varchar(16)   not null,
    discovered_at   timestamptz   not null,
    discovered_user varchar(255),
    event_id        uuid          not null unique
);

-- One announcement per tag and digest of a repository: re-reporting the same thing is not news.
create unique index discovered_image_identity
    on discovered_image (connection_id, registry, repository, coalesce(tag, ''), digest);
create index discovered_image_digest on discovered_image (digest);
