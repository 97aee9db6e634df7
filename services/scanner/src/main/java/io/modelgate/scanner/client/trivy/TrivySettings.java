package io.modelgate.scanner.client.trivy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * How to run Trivy: which binary, against which database (a local cache directory, or a Trivy server that holds the
 * database for many scanners), how long a scan may take and how many may run at once.
 *
 * @param binary the Trivy executable
 * @param server Trivy server URL for client/server mode; empty to scan with the local database
 * @param cacheDir Trivy's cache directory (database and layer cache)
 * @param scanners the value of {@code --scanners}, e.g. {@code vuln,secret}
 * @param timeout passed to Trivy as {@code --timeout}
 * @param killGrace how long past {@code timeout} Trivy may take to stop by itself before its process tree is killed
 * @param concurrency how many Trivy processes this instance runs at once
 * @param insecureRegistries registries ({@code host[:port]}) reached over plain HTTP or without TLS verification
 * @param maxReportBytes largest report accepted on stdout; a larger one is an error, not an out-of-memory
 * @param maxStderrBytes how much of stderr is kept for the error reason
 */
public record TrivySettings(Path binary, Optional<String> server, Path cacheDir, String scanners, Duration timeout,
        Duration killGrace, int concurrency, Set<String> insecureRegistries, long maxReportBytes,
        int maxStderrBytes) {

    public TrivySettings {
        Objects.requireNonNull(binary, "binary");
        server = server == null ? Optional.empty() : server.filter(s -> !s.isBlank());
        Objects.requireNonNull(cacheDir, "cacheDir");
        if (scanners == null || scanners.isBlank()) {
            throw new IllegalArgumentException("scanners must not be blank");
        }
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(killGrace, "killGrace");
        if (concurrency < 1) {
            throw new IllegalArgumentException("concurrency must be at least 1: " + concurrency);
        }
        insecureRegistries = insecureRegistries == null ? Set.of() : Set.copyOf(insecureRegistries);
    }
}
