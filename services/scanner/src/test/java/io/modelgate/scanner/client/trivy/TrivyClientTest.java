package io.modelgate.scanner.client.trivy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;
import static org.awaitility.Awaitility.await;

class TrivyClientTest {

    private static final String DIGEST = "sha256:" + "ab".repeat(32);
    private static final String PASSWORD = "pw-never-on-argv";
    private static final Duration WAIT = Duration.ofSeconds(20);
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
                .contains("--cache-dir", "--config", "--ignorefile")
                .doesNotContain("--insecure", "--server")
                .endsWith("--", "registry.example.com/models/x@" + DIGEST);
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
    void aReferenceOutsideTheOciGrammarIsRefusedBeforeTrivyRuns() {
        for (String bad : List.of("--insecure/models/x@" + DIGEST, "-registry.example.com/models/x@" + DIGEST,
                "registry.example.com/Models/x@" + DIGEST, "registry.example.com/models/x@sha256:short",
                "registry.example.com/models x@" + DIGEST)) {
            assertThatThrownBy(() -> trivy.imageCommand(bad, bad.substring(0, bad.indexOf('/')))).as(bad)
                    .hasMessageContaining("not a valid OCI reference");
        }
        assertThatThrownBy(() -> trivy.imageCommand("other.example.com/models/x@" + DIGEST, "registry.example.com"))
                .hasMessageContaining("not in registry registry.example.com");
        assertThatThrownBy(() -> trivy.scan("--insecure/models/npm@" + DIGEST, "--insecure",
                RegistryCredentials.none())).hasMessageContaining("not a valid OCI reference");
        assertThat(TrivyStandIn.calls(binary, "models/npm")).isZero();
    }

    @Test
    void trivyInheritsNoSettingThatCouldFilterItsReport() {
        Map<String, String> scannerEnvironment = Map.of("PATH", "/usr/bin", "HOME", "/home/scanner",
                "TRIVY_SEVERITY", "CRITICAL", "TRIVY_IGNORE_UNFIXED", "true", "TRIVY_INSECURE", "true",
                "TRIVY_PASSWORD", "stale", "TRIVY_IGNOREFILE", "/etc/hide-everything", "JAVA_TOOL_OPTIONS", "-Dx");
        assertThat(TrivyClient.environment(scannerEnvironment, PRIVATE.environment())).containsOnly(
                entry("PATH", "/usr/bin"), entry("HOME", "/home/scanner"), entry("TRIVY_USERNAME", "scanner"),
                entry("TRIVY_PASSWORD", PASSWORD));
        assertThat(TrivyClient.environment(scannerEnvironment, RegistryCredentials.none().environment()))
                .containsOnlyKeys("PATH", "HOME");
    }

    @Test
    void theStandInRefusesAFilteringVariable(@TempDir Path empty) throws Exception {
        // The guard every scan in these tests passes: it does fail when such a variable gets through.
        ProcessBuilder builder = new ProcessBuilder(binary.toString(), "version", "--format", "json");
        builder.environment().put("TRIVY_SEVERITY", "CRITICAL");
        builder.directory(empty.toFile());
        Process process = builder.start();
        assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isEqualTo(97);
        assertThat(new String(process.getErrorStream().readAllBytes()))
                .contains("unexpected TRIVY_SEVERITY in the environment");
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
    void aCredentialIsRedactedBeforeTheReasonIsCut() {
        assertThatThrownBy(() -> trivy.scan("private.example.com/models/leaky-long@" + DIGEST,
                "private.example.com", PRIVATE)).hasMessageContaining("***")
                .hasMessageNotContaining(PASSWORD.substring(0, 5));
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
    void anInterruptedScanKillsTrivyAndSaysItWasInterrupted() throws Exception {
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread caller = new Thread(() -> {
            try (TrivyClient patient = patient(binary, 1)) {
                patient.scan("registry.example.com/models/hang@" + DIGEST, "registry.example.com",
                        RegistryCredentials.none());
            } catch (TrivyException e) {
                thrown.set(e);
            }
        });
        caller.start();
        Path pid = binary.resolveSibling("hang.pid");
        await().atMost(WAIT).until(() -> Files.exists(pid) && !Files.readString(pid).isBlank());
        caller.interrupt();
        caller.join(WAIT.toMillis());
        assertThat(thrown.get()).isInstanceOf(TrivyInterruptedException.class)
                .hasMessageContaining("its processes were killed");
        long child = Long.parseLong(Files.readString(pid).strip());
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
        try (TrivyClient one = patient(binary, 1); TrivyClient two = patient(binary, 2)) {
            // One slot: while the first slow scan holds it, the second waits for it and no second Trivy starts.
            CompletableFuture<?> a = CompletableFuture.runAsync(() -> scanSlow(one), callers);
            CompletableFuture<?> b = CompletableFuture.runAsync(() -> scanSlow(one), callers);
            await().atMost(WAIT).until(() -> slowStarted() == 1 && one.waitingForSlot() == 1);
            assertThat(slowStarted()).isEqualTo(1);
            Files.createFile(binary.resolveSibling("slow.go"));
            CompletableFuture.allOf(a, b).get(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(slowStarted()).isEqualTo(2);

            // Two slots: both run at once, before either is released.
            Files.delete(binary.resolveSibling("slow.go"));
            Files.delete(binary.resolveSibling("slow.started"));
            CompletableFuture<?> c = CompletableFuture.runAsync(() -> scanSlow(two), callers);
            CompletableFuture<?> d = CompletableFuture.runAsync(() -> scanSlow(two), callers);
            await().atMost(WAIT).until(() -> slowStarted() == 2);
            assertThat(two.waitingForSlot()).isZero();
            Files.createFile(binary.resolveSibling("slow.go"));
            CompletableFuture.allOf(c, d).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        } finally {
            callers.shutdownNow();
        }
    }

    /** How many slow scans the stand-in has started. */
    private long slowStarted() throws IOException {
        Path started = binary.resolveSibling("slow.started");
        return Files.exists(started) ? Files.readAllLines(started).size() : 0;
    }

    /** A client whose timeout outlasts any wait of a test on the stand-in. */
    private static TrivyClient patient(Path binary, int concurrency) {
        return new TrivyClient(new TrivySettings(binary, Optional.empty(), binary.resolveSibling("cache"), "vuln",
                Duration.ofSeconds(60), Duration.ofSeconds(1), concurrency, Set.of(), 10_000_000, 4096));
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
        // A NUL byte or escape sequence would make the reason unstorable in a JSON event.
        assertThat(TrivyClient.summary("FATAL a\u0000b\u001b[31mc\td\n")).isEqualTo("FATAL ab[31mc d");
    }
}
