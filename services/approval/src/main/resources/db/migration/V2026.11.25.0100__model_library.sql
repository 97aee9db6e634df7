-- The Model Library: models, their versions (one per model and image digest), approval policies, human decisions,
-- metadata history and the audit trail.

create table model (
    id              uuid primary key,
    name            varchar(255)  not null unique,
    publisher       varchar(255),
    description     text,
    -- Function types as ',CHAT,EMBEDDING,' so one indexed-free LIKE filters them; the model table stays small.
    function_types  varchar(255)  not null default ',',
    created_at      timestamptz   not null,
    updated_at      timestamptz   not null
);

create table model_version (
    id                  uuid primary key,
    model_id            uuid          not null references model (id),
    -- Copies of the model's name (never changes) and function types (kept in step on edit), so browsing filters
    -- and sorts this one table and joins the model only for the rows of the page.
    model_name          varchar(255)  not null,
    function_types      varchar(255)  not null default ',',
    version             varchar(255)  not null,
    digest              varchar(255)  not null,
    reference           varchar(1024) not null,
    connection_id       varchar(255)  not null,
    registry            varchar(255)  not null,
    repository          varchar(255)  not null,
    tag                 varchar(128),
    media_type          varchar(255),
    size_bytes          bigint        not null,
    image_created_at    timestamptz,
    labels              jsonb         not null,
    annotations         jsonb         not null,
    parameter_count     bigint,
    context_length      integer,
    dtype               varchar(64),
    quantization        varchar(64),
    license             varchar(255),
    performance         jsonb         not null,
    gpu_count           integer,
    gpu_type            varchar(128),
    gpu_memory          varchar(32),
    cpu                 varchar(32),
    memory              varchar(32),
    state               varchar(24)   not null,
    state_actor         varchar(512)  not null,
    state_changed_at    timestamptz   not null,
    flagged             boolean       not null default false,
    flag_reason         text,
    policy_rule         varchar(512),
    required_approvals  integer       not null default 0,
    required_role       varchar(64),
    review_round        integer       not null default 0,
    scan_id             varchar(255),
    scan_verdict        varchar(8),
    scan_critical       integer,
    scan_high           integer,
    scan_medium         integer,
    scan_low            integer,
    scan_unknown        integer,
    scan_fixable        integer,
    scan_secrets        integer,
    scanned_at          timestamptz,
    scanner_version     varchar(128),
    scanner_db_version  varchar(128),
    discovered_at       timestamptz   not null,
    updated_at          timestamptz   not null,
    unique (model_id, digest)
);

create index model_version_digest on model_version (digest);
create index model_version_state on model_version (state, discovered_at);
create index model_version_license on model_version (lower(license));
create index model_version_registry on model_version (registry);
create index model_version_discovered on model_version (discovered_at, id);
create index model_version_name on model_version (model_name, id);

create table approval_policy (
    id                  uuid primary key,
    name                varchar(128)  not null unique,
    description         text,
    active              boolean       not null,
    rules               jsonb         not null,
    default_outcome     jsonb         not null,
    on_rescan_failure   varchar(16)   not null,
    created_by          varchar(255)  not null,
    created_at          timestamptz   not null,
    updated_by          varchar(255)  not null,
    updated_at          timestamptz   not null
);

-- At most one policy decides at a time.
create unique index approval_policy_one_active on approval_policy (active) where active;

create table approval_decision (
    id            uuid primary key,
    version_id    uuid          not null references model_version (id),
    review_round  integer       not null,
    decision      varchar(8)    not null,
    decided_by    varchar(255)  not null,
    comment       text,
    decided_at    timestamptz   not null,
    -- One decision per person per review: nobody is counted twice.
    unique (version_id, review_round, decided_by)
);

create table metadata_change (
    id          uuid primary key,
    model_id    uuid          not null references model (id),
    version_id  uuid          references model_version (id),
    field       varchar(64)   not null,
    old_value   text,
    new_value   text,
    changed_by  varchar(255)  not null,
    changed_at  timestamptz   not null,
    comment     text
);

create index metadata_change_version on metadata_change (version_id, changed_at);
create index metadata_change_model on metadata_change (model_id, changed_at);

create table audit_entry (
    id          uuid primary key,
    seq         bigint generated always as identity unique,
    at          timestamptz   not null,
    actor       varchar(512)  not null,
    action      varchar(48)   not null,
    model_id    uuid,
    version_id  uuid,
    policy_id   uuid,
    from_state  varchar(24),
    to_state    varchar(24),
    reason      text
);

create index audit_entry_version on audit_entry (version_id, seq);
create index audit_entry_model on audit_entry (model_id, seq);
create index audit_entry_actor on audit_entry (actor, seq);

-- Decisions and the audit trail are append-only: the database refuses to change or remove them, whatever the code does.
create function refuse_change() returns trigger language plpgsql as $$
begin
    raise exception '% is append-only', tg_table_name;
end;
$$;

create trigger approval_decision_append_only before update or delete on approval_decision
    for each row execute function refuse_change();
create trigger audit_entry_append_only before update or delete on audit_entry
    for each row execute function refuse_change();
