-- AIDB target databases model-sync keeps in step. The password is AES-GCM ciphertext (iv || ciphertext+tag), bound
-- to the row's id; the key comes from the deployment, never from this database.
create table sync_target (
    id                  uuid primary key,
    name                varchar(63)   not null unique,
    jdbc_url            varchar(2048) not null,
    username            varchar(255)  not null,
    password_cipher     bytea,
    location            varchar(16)   not null,
    reachable           boolean       not null,
    enabled             boolean       not null,
    credential_support  varchar(32),
    catalog_checked_at  timestamptz,
    created_at          timestamptz   not null,
    updated_at          timestamptz   not null
);

-- What serving has registered: the desired state of every target, so a reconcile never calls serving back.
-- A deregistered service keeps its row (active = false) so that a stale registration cannot revive it.
create table served_model (
    id                uuid          primary key,
    service_id        varchar(255)  not null unique,
    aidb_name         varchar(255)  not null,
    active            boolean       not null,
    model_name        varchar(255)  not null,
    version_id        varchar(255),
    function_types    varchar(255)  not null,
    served_model_name varchar(255)  not null,
    runtime           varchar(64),
    provider          varchar(64),
    internal_url      varchar(2048) not null,
    open_ai_base_path varchar(255)  not null,
    last_event_at     timestamptz   not null,
    updated_at        timestamptz   not null
);

create unique index served_model_active_name on served_model (aidb_name) where active;

-- One sync pass: for one event, or a reconcile (scheduled or triggered). Counts cover every model of every target,
-- UNCHANGED included; results below are kept only for what did not stay unchanged, so history stays small.
create table sync_run (
    id          uuid primary key,
    trigger     varchar(16)  not null,
    service_id  varchar(255),
    event_id    uuid,
    started_at  timestamptz  not null,
    finished_at timestamptz,               -- null while the pass runs
    created     integer      not null,
    updated     integer      not null,
    deleted     integer      not null,
    unchanged   integer      not null,
    skipped     integer      not null,
    failed      integer      not null
);

create index sync_run_started_at on sync_run (started_at desc);

-- The outcome for one model in one target; aidb_name is null when the outcome covers the whole target (down,
-- unreachable, not an AIDB database).
create table sync_result (
    id            uuid primary key,
    run_id        uuid          not null references sync_run (id) on delete cascade,
    target_id     uuid          not null,
    target_name   varchar(63)   not null,
    aidb_name     varchar(255),
    service_id    varchar(255),
    outcome       varchar(16)   not null,
    reason        varchar(2048),
    referenced_by varchar(4096)
);

create index sync_result_run on sync_result (run_id);
