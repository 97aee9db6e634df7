create table bench_state (
    id         uuid primary key,
    digest     varchar(255) not null,
    created_at timestamptz  not null
);

create table bench_effect (
    event_id    uuid primary key,
    digest      varchar(255) not null,
    occurred_at timestamptz  not null,
    applied_at  timestamptz  not null
);
