package io.modelgate.scanner.client.trivy;

import java.time.Instant;

/**
 * What {@code trivy version --format json} tells: Trivy's version and its vulnerability database.
 *
 * @param version Trivy's version
 * @param dbSchema the database schema version (Trivy's {@code VulnerabilityDB.Version}); 0 when no database
 * @param dbUpdatedAt when the database was built; null when Trivy has no database yet
 */
public record TrivyVersion(String version, int dbSchema, Instant dbUpdatedAt) {

    /**
     * The database version a result is cached against: schema and build time, because Trivy's own
     * {@code VulnerabilityDB.Version} is the schema and stays 2 across every daily update. Null without a database, so
     * nothing is ever answered from cache against an unknown database.
     */
    public String dbVersion() {
        return dbUpdatedAt == null ? null : dbSchema + ":" + dbUpdatedAt;
    }
}
