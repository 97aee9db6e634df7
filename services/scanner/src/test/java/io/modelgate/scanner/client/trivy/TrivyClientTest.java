package io.modelgate.scanner.client.trivy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class TrivyClientTest {

    private static final String DIGEST = "sha256:" + "ab".repeat(32);
    private static final String PASSWORD = "pw-never-on-argv";
    private static final RegistryCredentials PRIVATE = new RegistryCredentials(Optional.of("scanner"),
            Optional.of(PASSWORD), Optional.empty());

    private Path binary;
    private TrivyClient trivy;

    @BeforeEach
    void install() {
        binary = TrivyStandIn.install();
        trivy = client(binary, 1, Optional.empty());
    }

    @AfterEach
    void close() {
        trivy.close();
    }

    private static TrivyClient client(Path binary, int concurrency, Optional<String> server) {
        return new TrivyClient(new TrivySettings(binary, server, binary.resolveSibling("cache"), "vuln,secret",
                Duration.ofSeconds(1), Duration.ofMillis(500), concurrency, Set.of("insecure.example.com"),
                10_000_000, 4096));
    }

    @Test
    void commandIsDigestPinnedJsonRemoteWithCacheTimeoutAndInsecureOnlyWhereConfigured() throws TrivyException {
        List<String> command = trivy.imageCommand("registry.example.com/models/x@" + DIGEST, "registry.example.com");
        assertThat(command).containsSubsequence("image", "--format", "json")
                .containsSubsequence("--scanners", "vuln,secret")
                .containsSubsequence("--image-src", "remote")
                .containsSubsequence("--timeout", "1s")
                .contains("--cache-dir")
                .doesNotContain("--insecure", "--server")
                .endsWith("registry.example.com/models/x@" + DIGEST);
        assertThat(trivy.imageCommand("insecure.example.com/m@" + DIGEST, "insecure.example.com"))
                .contains("--insecure");
        try (TrivyClient server = client(binary, 1, Optional.of("http://trivy-server:4954"))) {
            assertThat(server.imageCommand("r.example.com/m@" + DIGEST, "r.example.com"))
                    .containsSubsequence("--server", "http://trivy-server:4954");
        }
        assertThatThrownBy(() -> trivy.imageCommand("registry.example.com/models/x:latest", "registry.example.com"))
                .hasMessageContaining("not pinned by digest");
    }

    @Test
    void replaysAFixtureWhenCalledAsRealTrivyMustBe() throws TrivyException {
        TrivyClient.Scan scan = trivy.scan("registry.example.com/models/debian-buster@" + DIGEST,
                "registry.example.com", RegistryCredentials.none());
        assertThat(scan.rawReport()).isEqualTo(TrivyStandIn.fixture("debian-buster"));
        assertThat(scan.report().results().get(0).vulnerabilities()).hasSize(2);
    }

    @Test
    void serverModeAndInsecureRegistriesPassTheStandInsChecks() throws TrivyException {
        try (TrivyClient server = client(binary, 1, Optional.of("http://trivy-server:4954"))) {
            assertThat(server.scan("insecure.example.com/models/npm@" + DIGEST, "insecure.example.com",
                    RegistryCredentials.none()).report().results()).isNotEmpty();
        }
        assertThat(TrivyStandIn.calls(binary, "--server http://trivy-server:4954")).isEqualTo(1);
    }

    @Test
    void credentialsTravelInTheEnvironmentOnly() throws TrivyException {
        trivy.scan("private.example.com/models/pip@" + DIGEST, "private.example.com", PRIVATE);
        assertThat(TrivyStandIn.calls(binary, "private.example.com/models/pip")).isEqualTo(1);
        assertThat(TrivyStandIn.calls(binary, PASSWORD)).isZero();
        // Without them the stand-in refuses, as the registry would.
        assertThatThrownBy(() -> trivy.scan("private.example.com/models/pip@" + DIGEST, "private.example.com",
                RegistryCredentials.none())).hasMessageContaining("no credentials in the environment");
        assertThat(PRIVATE.toString()).doesNotContain(PASSWORD);
    }

    @Test
    void aCredentialEchoedOnStderrIsRedactedFromTheReason() {
        assertThatThrownBy(() -> trivy.scan("private.example.com/models/leaky@" + DIGEST, "private.example.com",
                PRIVATE)).hasMessageContaining("UNAUTHORIZED")
                .hasMessageContaining("scanner:***")
                .hasMessageNotContaining(PASSWORD);
    }

    @Test
    void nonZeroExitIsAnErrorWithExitCodeAndStderr() {
        assertThatThrownBy(() -> trivy.scan("registry.example.com/models/crash@" + DIGEST, "registry.example.com",
                RegistryCredentials.none())).hasMessageStartingWith("Trivy exited with code 2: ")
                .hasMessageContaining("panic: runtime error");
        assertThatThrownBy(() -> trivy.scan("registry.example.com/models/gone@" + DIGEST, "registry.example.com",
                RegistryCredentials.none())).hasMessageStartingWith("Trivy exited with code 1: ")
                .hasMessageContaining("MANIFEST_UNKNOWN");
    }

    @Test
    void aHangingTrivyIsKilledWithItsChildren() throws Exception {
        assertThatThrownBy(() -> trivy.scan("registry.example.com/models/hang@" + DIGEST, "registry.example.com",
                RegistryCredentials.none())).hasMessage("Trivy timed out after 2s; its processes were killed");
        long child = Long.parseLong(Files.readString(binary.resolveSibling("hang.pid")).strip());
        await().atMost(Duration.ofSeconds(5))
                .until(() -> ProcessHandle.of(child).map(p -> !p.isAlive()).orElse(true));
    }

    @Test
    void truncatedAndGarbageOutputAreErrors() {
        assertThatThrownBy(() -> trivy.scan("registry.example.com/models/truncated@" + DIGEST,
                "registry.example.com", RegistryCredentials.none()))
                .hasMessageStartingWith("Trivy printed an unreadable report");
        assertThatThrownBy(() -> trivy.scan("registry.example.com/models/garbage@" + DIGEST,
                "registry.example.com", RegistryCredentials.none()))
                .hasMessageStartingWith("Trivy printed an unreadable report");
    }

    @Test
    void aReportOverTheLimitIsAnError() {
        try (TrivyClient small = new TrivyClient(new TrivySettings(binary, Optional.empty(),
                binary.resolveSibling("cache"), "vuln", Duration.ofSeconds(5), Duration.ofSeconds(1), 1, Set.of(),
                1000, 4096))) {
            assertThatThrownBy(() -> small.scan("registry.example.com/models/alpine-310@" + DIGEST,
                    "registry.example.com", RegistryCredentials.none()))
                    .hasMessage("Trivy's report is larger than 1000 bytes");
        }
    }

    @Test
    void aMissingBinaryIsAnError() {
        try (TrivyClient missing = client(binary.resolveSibling("no-such-trivy"), 1, Optional.empty())) {
            assertThatThrownBy(() -> missing.scan("registry.example.com/models/npm@" + DIGEST,
                    "registry.example.com", RegistryCredentials.none()))
                    .hasMessageStartingWith("Trivy could not be started at ");
            assertThatThrownBy(missing::version).hasMessageStartingWith("Trivy could not be started at ");
        }
    }

    @Test
    void concurrencyIsBounded() throws Exception {
        ExecutorService callers = Executors.newFixedThreadPool(2);
        try {
            CompletableFuture<?> first = CompletableFuture.runAsync(() -> scanSlow(trivy), callers);
            CompletableFuture<?> second = CompletableFuture.runAsync(() -> scanSlow(trivy), callers);
            CompletableFuture.allOf(first, second).get();
            // The same two scans with two slots overlap, and the stand-in notices.
            try (TrivyClient two = client(binary, 2, Optional.empty())) {
                CompletableFuture<?> a = CompletableFuture.runAsync(() -> scanSlow(two), callers);
                CompletableFuture<?> b = CompletableFuture.runAsync(() -> scanSlow(two), callers);
                assertThatThrownBy(() -> CompletableFuture.allOf(a, b).get())
                        .hasMessageContaining("two scans ran at once");
            }
        } finally {
            callers.shutdownNow();
        }
    }

    private static void scanSlow(TrivyClient client) {
        try {
            client.scan("registry.example.com/models/slow@" + DIGEST, "registry.example.com",
                    RegistryCredentials.none());
        } catch (TrivyException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    @Test
    void versionReportsTrivyAndTheDatabase() throws Exception {
        TrivyVersion version = trivy.version();
        assertThat(version.version()).isEqualTo("0.58.1");
        assertThat(version.dbVersion()).isEqualTo("2:2026-11-24T06:00:00Z");
        Files.writeString(binary.resolveSibling("db-updated-at"), "2026-11-25T06:00:00Z");
        assertThat(trivy.version().dbVersion()).isEqualTo("2:2026-11-25T06:00:00Z");
    }

    @Test
    void stderrSummaryPrefersFatalLines() {
        assertThat(TrivyClient.summary("INFO a\n\nFATAL boom\nINFO b\n")).isEqualTo("FATAL boom");
        assertThat(TrivyClient.summary("INFO a\nlast words\n")).isEqualTo("last words");
        assertThat(TrivyClient.summary("")).isEqualTo("no error output");
    }
}
