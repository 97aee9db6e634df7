package io.modelgate.events;

import java.time.Instant;
import java.util.Objects;

/**
 * Which scanner and vulnerability database produced a scan, so approval can tell a stale verdict from a
 * current one.
 *
 * @param name e.g. {@code trivy}
 * @param version scanner version
 * @param dbVersion vulnerability database version; null if unknown
 * @param dbUpdatedAt when the vulnerability database was last updated; null if unknown
 */
public record ScannerInfo(String name, String version, String dbVersion, Instant dbUpdatedAt) {

    public ScannerInfo {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(version, "version");
    }
}
