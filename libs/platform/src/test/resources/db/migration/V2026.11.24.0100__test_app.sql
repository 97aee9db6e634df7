create table test_note (
    id         uuid primary key,
    digest     varchar(200) not null,
    created_at timestamptz  not null
);

create table test_effect (
    id         bigserial primary key,
    event_id   uuid         not null,
    digest     varchar(200) not null,
    applied_at timestamptz  not null default now()
);
