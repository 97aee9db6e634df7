-- Every repository a digest was discovered in (the same image pushed to several places): an exception scoped to a
-- repository pattern applies when any of them matches, not only the repository of the first discovery.
create table image_scan_repository (
    digest     varchar(255) not null,
    registry   varchar(255) not null,
    repository varchar(255) not null,
    primary key (digest, registry, repository)
);
insert into image_scan_repository (digest, registry, repository)
select digest, registry, repository from image_scan;
