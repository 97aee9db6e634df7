package io.modelgate.registrysync.domain;

/** Kind of registry behind a connection; all speak the OCI Distribution API, and the kind says how to reach it. */
public enum ConnectionType {
    /** CNCF distribution or any OCI Distribution registry with a catalog. */
    DISTRIBUTION,
    /** Harbor: repositories are {@code project/name}; webhooks in Harbor's default or CloudEvents format. */
    HARBOR,
    /** Docker Hub: no catalog, so repositories come from exact rules; rate limited (429 with ratelimit headers). */
    DOCKER_HUB,
    /** Other v2 registries with token auth (NGC, ECR, GCR, ACR); catalog used when offered. */
    GENERIC_V2_TOKEN
}
