-- Outbox and inbox of the reliability spine (libs/platform); every service's database has them.
-- Platform migrations live in db/platform, services' in db/migration; both use date-based versions
-- (V<yyyy>.<mm>.<dd>.<hhmm>) so they interleave in the order they were written.

create table outbox_event (
    id           uuid primary key,
    seq          bigint generated always as identity unique,
    topic        varchar(249)  not null,
    record_key   varchar(1024) not null,
    event_type   varchar(255)  not null,
    payload      jsonb         not null,
    traceparent  varchar(55),
    tracestate   varchar(512),
    occurred_at  timestamptz   not null,
    created_at   timestamptz   not null,
    published_at timestamptz,
    attempts     integer       not null default 0,
    last_error   text
);

-- The relay only ever scans unpublished rows, in order.
create index outbox_event_unpublished on outbox_event (seq) where published_at is null;
create index outbox_event_published_at on outbox_event (published_at) where published_at is not null;

create table inbox_event (
    consumer     varchar(255) not null,
    event_id     uuid         not null,
    event_type   varchar(255) not null,
    processed_at timestamptz  not null,
    primary key (consumer, event_id)
);
