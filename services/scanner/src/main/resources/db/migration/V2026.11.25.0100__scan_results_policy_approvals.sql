-- A scan's latest result lives on its row: one digest, one current verdict. Findings and reasons are JSON, always
-- read and written whole; the raw report is kept apart because it can be megabytes.
alter table image_scan
    add column rescan                 boolean      not null default false,
    add column attempts               integer      not null default 0,
    add column started_at             timestamptz,
    add column scanned_at             timestamptz,
    add column evaluated_at           timestamptz,
    add column verdict                varchar(8),
    add column reasons                text,
    add column scanner_version        varchar(64),
    add column db_version             varchar(64),
    add column db_updated_at          timestamptz,
    add column critical               integer      not null default 0,
    add column high                   integer      not null default 0,
    add column medium                 integer      not null default 0,
    add column low                    integer      not null default 0,
    add column unknown                integer      not null default 0,
    add column fixable_count          integer      not null default 0,
    add column secret_count           integer      not null default 0,
    add column misconfiguration_count integer      not null default 0,
    add column findings               text;

-- The workers' queue: oldest waiting (or abandoned running) scan first.
create index image_scan_queue on image_scan (requested_at) where status in ('QUEUED', 'RUNNING');

create table scan_report (
    scan_id   uuid primary key references image_scan (id),
    content   text        not null,
    stored_at timestamptz not null
);
-- Stored out of line uncompressed: compressing a megabyte report (pglz) costs more than the rest of storing it, and
-- lz4 is not in every PostgreSQL build.
alter table scan_report alter column content set storage external;

-- One row: the platform's defaults until an admin changes them (critical vulnerabilities and secrets fail).
create table scan_policy (
    id             integer primary key check (id = 1),
    max_severity   varchar(8)   not null,
    ignore_unfixed boolean      not null,
    cvss_threshold numeric(3, 1),
    secrets_fail   boolean      not null,
    updated_at     timestamptz  not null,
    updated_by     varchar(255) not null
);
insert into scan_policy values (1, 'HIGH', false, null, true, now(), 'default');

create table policy_exception (
    id                 uuid primary key,
    cve_id             varchar(64)   not null,
    repository_pattern varchar(255),
    digest             varchar(255),
    reason             varchar(2000) not null,
    owner              varchar(255)  not null,
    expires_at         timestamptz   not null,
    created_at         timestamptz   not null,
    created_by         varchar(255)  not null,
    check ((repository_pattern is null) <> (digest is null))
);
create index policy_exception_cve on policy_exception (cve_id);

-- Approved model versions (from approval's ModelApproved / ModelRevoked): their digests are rescanned when the
-- vulnerability database updates.
create table approved_model (
    version_id  varchar(255) primary key,
    digest      varchar(255) not null,
    approved_at timestamptz  not null
);
create index approved_model_digest on approved_model (digest);
