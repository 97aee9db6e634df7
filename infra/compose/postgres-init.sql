-- One database per service, named exactly like the service (docker-compose.yml mounts this into
-- /docker-entrypoint-initdb.d, so it runs once, on an empty data volume, as the POSTGRES_USER).
-- Names with hyphens must be quoted.
CREATE DATABASE "registry-sync";
CREATE DATABASE "scanner";
CREATE DATABASE "approval";
CREATE DATABASE "serving";
CREATE DATABASE "model-sync";
