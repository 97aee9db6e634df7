-- Registry connections: where to poll and who may post webhooks. The credential is AES-GCM ciphertext bound to the
-- connection id; the webhook secret is kept only as its SHA-256, so neither can be read back.
create table registry_connection (
    id                  uuid primary key,
    name                varchar(255)  not null unique,
    type                varchar(32)   not null,
    base_url            varchar(1024) not null,
    username            varchar(255),
    credential          bytea,
    credential_kind     varchar(16),
    ca_certificate      text,
    skip_tls_verify     boolean       not null default false,
    plain_http          boolean       not null default false,
    poll_interval_secs  bigint        not null,
    enabled             boolean       not null default true,
    webhook_secret_hash bytea         not null,
    created_at          timestamptz   not null,
    updated_at          timestamptz   not null
);

-- Repository rules of a connection: which repositories and tags are models to announce.
create table repository_rule (
    id               uuid primary key,
    connection_id    uuid          not null references registry_connection (id) on delete cascade,
    name             varchar(255)  not null,
    repository_match varchar(16)   not null,
    repository       varchar(1024) not null,
    tag_filter       varchar(16)   not null,
    tag_value        varchar(1024),
    excludes         text          not null,
    required_labels  text          not null,
    platforms        text          not null,
    enabled          boolean       not null default true,
    created_at       timestamptz   not null,
    updated_at       timestamptz   not null,
    unique (connection_id, name)
);

-- The digest each tag pointed to when last looked at: an unchanged tag costs one HEAD and nothing else.
create table tag_digest (
    connection_id uuid          not null references registry_connection (id) on delete cascade,
    repository    varchar(1024) not null,
    tag           varchar(128)  not null,
    digest        varchar(255)  not null,
    checked_at    timestamptz   not null,
    primary key (connection_id, repository, tag)
);

-- Poll runs, with progress counters that the running instance flushes while it works.
create table sync_run (
    id             uuid primary key,
    connection_id  uuid         not null references registry_connection (id) on delete cascade,
    trigger_kind   varchar(16)  not null,
    status         varchar(16)  not null,
    started_at     timestamptz  not null,
    finished_at    timestamptz,
    heartbeat_at   timestamptz  not null,
    repositories   integer      not null default 0,
    tags_seen      integer      not null default 0,
    new_images     integer      not null default 0,
    skipped        integer      not null default 0,
    errors         integer      not null default 0,
    messages       text         not null default '[]'
);
-- One run at a time per connection, across instances.
create unique index sync_run_one_running on sync_run (connection_id) where status = 'RUNNING';
create index sync_run_connection on sync_run (connection_id, started_at desc);

-- Webhook events as received (one row per relevant event), persisted before the 202; processed asynchronously.
create table webhook_delivery (
    id            uuid primary key,
    connection_id uuid          not null references registry_connection (id) on delete cascade,
    event_id      varchar(255)  not null,
    format        varchar(32)   not null,
    action        varchar(16)   not null,
    repository    varchar(1024) not null,
    tag           varchar(128),
    digest        varchar(255),
    received_at   timestamptz   not null,
    status        varchar(16)   not null,
    processed_at  timestamptz,
    outcome       varchar(1024),
    unique (connection_id, event_id)
);
create index webhook_delivery_pending on webhook_delivery (status, received_at);

-- Deletions registries reported; recorded, never acted on by themselves (revocation is approval's decision).
create table registry_deletion (
    id            uuid primary key,
    connection_id uuid          not null references registry_connection (id) on delete cascade,
    repository    varchar(1024) not null,
    tag           varchar(128),
    digest        varchar(255),
    deleted_at    timestamptz   not null,
    delivery_id   uuid          not null
);

alter table discovered_image add column rule_id uuid;
alter table discovered_image add column platform varchar(64);
