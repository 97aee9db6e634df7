package io.modelgate.scanner.config;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import jakarta.validation.constraints.Min;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The scanner's settings ({@code modelgate.scanner.*}); the README documents each. */
@ConfigMapping(prefix = "modelgate.scanner")
public interface ScannerConfig {

    /** Base URL under which this service is reachable, for the report link in {@code ScanCompleted}. */
    @WithDefault("http://localhost:8082")
    String publicUrl();

    Trivy trivy();

    Worker worker();

    /** Per registry ({@code host[:port]}, as in image references): credentials and transport. */
    Map<String, Registry> registries();

    /** How Trivy is run. */
    interface Trivy {
        /** The Trivy executable; a bare name is looked up on the PATH. */
        @WithDefault("trivy")
        String path();

        /** Trivy server URL for client/server mode. */
        Optional<String> server();

        @WithDefault("${user.home}/.cache/trivy")
        String cacheDir();

        @WithDefault("vuln,secret")
        String scanners();

        @WithDefault("10m")
        Duration timeout();

        @WithDefault("30s")
        Duration killGrace();

        /** Trivy processes (and workers) per instance. */
        @WithDefault("1")
        int concurrency();

        @WithDefault("67108864")
        long maxReportBytes();

        @WithDefault("16384")
        int maxStderrBytes();

        /** How often the vulnerability database's version is checked, and approved digests rescanned if it changed. */
        @WithDefault("15m")
        Duration dbCheckInterval();
    }

    /** The scan workers. */
    interface Worker {
        /** Off only for benchmarks that drive the pipeline themselves. */
        @WithDefault("true")
        boolean enabled();

        /** How long an idle worker waits before looking for queued scans again. */
        @WithDefault("1s")
        Duration pollInterval();

        /** Claims of one scan that may end without a result (worker died) before it ends in ERROR. */
        @WithDefault("3")
        @Min(1)
        int maxAttempts();
    }

    /** One registry. */
    interface Registry {
        Optional<String> username();

        Optional<String> password();

        Optional<String> registryToken();

        /** Plain HTTP or TLS without verification ({@code --insecure}); for registries configured so only. */
        @WithDefault("false")
        boolean insecure();
    }
}
