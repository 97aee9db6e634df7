package io.modelgate.scanner.client.trivy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Runs the Trivy CLI: {@code trivy image} on a digest-pinned reference, and {@code trivy version}. Credentials go
 * through the environment only, a scan past its time has its whole process tree killed, and a semaphore bounds how many
 * scans run at once. Every failure is a {@link TrivyException} whose message is the reason, never a partial result.
 * Nothing around the process can filter a report: Trivy gets an allowlisted environment (no inherited {@code TRIVY_*}
 * setting such as {@code TRIVY_SEVERITY}), an empty working directory, and an empty config and ignore file.
 */
public class TrivyClient implements AutoCloseable {

    /**
     * The only variables Trivy inherits from this process: where to find programs, a home and temporary directory, and
     * how to reach registries (proxy, CA certificates). None of them can change what a report contains.
     */
    static final List<String> INHERITED_VARIABLES = List.of("PATH", "HOME", "TMPDIR", "SSL_CERT_FILE", "SSL_CERT_DIR",
            "HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY", "http_proxy", "https_proxy", "no_proxy");

    /** Written empty into the working directory and passed explicitly, so no other {@code trivy.yaml} applies. */
    static final String CONFIG_FILE = "trivy.yaml";

    /** Written empty into the working directory and passed explicitly, so no {@code .trivyignore} hides a finding. */
    static final String IGNORE_FILE = ".trivyignore";

    /**
     * A digest-pinned OCI reference, {@code registry/repository@digest}, as the distribution reference grammar allows
     * it: a registry never starts with {@code -}, so it cannot be read as a flag.
     */
    private static final Pattern REFERENCE = Pattern.compile(
            "(?<registry>(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)(?:\\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*"
                    + "(?::[0-9]+)?)"
                    + "/(?<repository>[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*)"
                    + "@(?<digest>[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]{32,})");

    private static final Duration VERSION_TIMEOUT = Duration.ofSeconds(30);
    private static final int REASON_CHARS = 500;

    private final TrivySettings settings;
    private final Semaphore permits;
    private final ExecutorService streams;
    private final Path workDir;

    public TrivyClient(TrivySettings settings) {
        this.settings = settings;
        try {
            this.workDir = Files.createTempDirectory("trivy-work");
        } catch (IOException e) {
            throw new UncheckedIOException("Could not create Trivy's working directory", e);
        }
        this.permits = new Semaphore(settings.concurrency(), true);
        AtomicInteger threads = new AtomicInteger();
        this.streams = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "trivy-stream-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** A finished scan: the report as Trivy printed it and as parsed. */
    public record Scan(byte[] rawReport, TrivyReport report, Duration took) {
    }

    /** What one Trivy process left behind. */
    record Outcome(int exitCode, byte[] stdout, boolean stdoutTooLarge, String stderr) {
    }

    /** The {@code trivy image} command for a digest-pinned reference in {@code registry}. */
    public List<String> imageCommand(String reference, String registry) throws TrivyException {
        if (reference == null || !reference.contains("@") || reference.endsWith("@")) {
            throw new TrivyException("Refusing to scan " + reference + ": not pinned by digest");
        }
        Matcher parts = REFERENCE.matcher(reference);
        if (!parts.matches()) {
            throw new TrivyException("Refusing to scan " + reference
                    + ": not a valid OCI reference (registry/repository@digest)");
        }
        if (!parts.group("registry").equals(registry)) {
            throw new TrivyException("Refusing to scan " + reference + ": not in registry " + registry);
        }
        List<String> command = new ArrayList<>(List.of(settings.binary().toString(), "image",
                "--format", "json",
                "--scanners", settings.scanners(),
                "--image-src", "remote",
                "--cache-dir", settings.cacheDir().toString(),
                "--timeout", seconds(settings.timeout()),
                "--config", workDir.resolve(CONFIG_FILE).toString(),
                "--ignorefile", workDir.resolve(IGNORE_FILE).toString(),
                "--no-progress"));
        settings.server().ifPresent(url -> {
            command.add("--server");
            command.add(url);
        });
        if (settings.insecureRegistries().contains(registry)) {
            command.add("--insecure");
        }
        // Everything after "--" is an argument, never a flag, whatever the reference holds.
        command.add("--");
        command.add(reference);
        return command;
    }

    /** Scans {@code reference}, waiting for a free slot first. */
    public Scan scan(String reference, String registry, RegistryCredentials credentials) throws TrivyException {
        List<String> command = imageCommand(reference, registry);
        try {
            permits.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TrivyInterruptedException("Interrupted while waiting for a Trivy slot");
        }
        try {
            Instant start = Instant.now();
            Outcome outcome = run(command, credentials.environment(), settings.timeout().plus(settings.killGrace()));
            if (outcome.exitCode() != 0) {
                throw new TrivyException("Trivy exited with code " + outcome.exitCode() + ": "
                        + summary(credentials.redact(outcome.stderr())));
            }
            if (outcome.stdoutTooLarge()) {
                throw new TrivyException("Trivy's report is larger than " + settings.maxReportBytes() + " bytes");
            }
            TrivyReport report = TrivyReportParser.parse(outcome.stdout());
            return new Scan(outcome.stdout(), report, Duration.between(start, Instant.now()));
        } finally {
            permits.release();
        }
    }

    /** Trivy's version and its vulnerability database, from {@code trivy version --format json}. */
    public TrivyVersion version() throws TrivyException {
        List<String> command = new ArrayList<>(List.of(settings.binary().toString(), "version", "--format", "json",
                "--cache-dir", settings.cacheDir().toString()));
        Outcome outcome = run(command, Map.of(), VERSION_TIMEOUT);
        if (outcome.exitCode() != 0) {
            throw new TrivyException("trivy version exited with code " + outcome.exitCode() + ": "
                    + summary(outcome.stderr()));
        }
        try {
            JsonNode json = TrivyReportParser.mapper().readTree(outcome.stdout());
            String version = json.path("Version").asText("");
            if (version.isBlank()) {
                throw new TrivyException("trivy version printed no Version");
            }
            JsonNode db = json.path("VulnerabilityDB");
            Instant updatedAt = db.hasNonNull("UpdatedAt") ? Instant.parse(db.get("UpdatedAt").asText()) : null;
            return new TrivyVersion(version, db.path("Version").asInt(0), updatedAt);
        } catch (IOException | RuntimeException e) {
            throw new TrivyException("trivy version printed an unreadable answer: " + e.getMessage(), e);
        }
    }

    /**
     * Trivy's whole environment: the {@link #INHERITED_VARIABLES} present in {@code inherited}, plus the scanned
     * registry's {@code credentials}. Anything else this process has (a {@code TRIVY_SEVERITY}, a
     * {@code TRIVY_IGNORE_UNFIXED}, stale credentials) could filter a report or reach the wrong registry: left out.
     */
    static Map<String, String> environment(Map<String, String> inherited, Map<String, String> credentials) {
        Map<String, String> env = new HashMap<>();
        for (String name : INHERITED_VARIABLES) {
            String value = inherited.get(name);
            if (value != null) {
                env.put(name, value);
            }
        }
        env.putAll(credentials);
        return env;
    }

    Outcome run(List<String> command, Map<String, String> credentials, Duration limit) throws TrivyException {
        ProcessBuilder builder = new ProcessBuilder(command);
        Map<String, String> env = builder.environment();
        Map<String, String> allowed = environment(env, credentials);
        env.clear();
        env.putAll(allowed);
        builder.directory(prepareWorkDir().toFile());
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new TrivyException("Trivy could not be started at " + settings.binary() + ": " + e.getMessage(), e);
        }
        try {
            process.getOutputStream().close();
            CompletableFuture<Bounded> stdout = CompletableFuture
                    .supplyAsync(() -> Bounded.read(process.getInputStream(), settings.maxReportBytes(), false),
                            streams);
            CompletableFuture<Bounded> stderr = CompletableFuture
                    .supplyAsync(() -> Bounded.read(process.getErrorStream(), settings.maxStderrBytes(), true),
                            streams);
            if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                killTree(process);
                throw new TrivyException("Trivy timed out after " + seconds(limit) + "; its processes were killed");
            }
            Bounded out = stdout.get(10, TimeUnit.SECONDS);
            Bounded err = stderr.get(10, TimeUnit.SECONDS);
            return new Outcome(process.exitValue(), out.bytes(), out.truncated(),
                    new String(err.bytes(), StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            killTree(process);
            Thread.currentThread().interrupt();
            throw new TrivyInterruptedException("Interrupted while Trivy was running; its processes were killed");
        } catch (ExecutionException | TimeoutException | IOException e) {
            killTree(process);
            throw new TrivyException("Trivy's output could not be read: " + e.getMessage(), e);
        }
    }

    /**
     * The empty working directory with its empty config and ignore file, recreated if something (a tmp cleaner)
     * removed it. Anything else found in it is deleted: Trivy must see nothing there that could filter a report.
     */
    private synchronized Path prepareWorkDir() throws TrivyException {
        try {
            Files.createDirectories(workDir);
            try (Stream<Path> entries = Files.list(workDir)) {
                for (Path entry : entries.toList()) {
                    String name = entry.getFileName().toString();
                    if (!name.equals(CONFIG_FILE) && !name.equals(IGNORE_FILE)) {
                        deleteTree(entry);
                    }
                }
            }
            for (String name : List.of(CONFIG_FILE, IGNORE_FILE)) {
                Files.write(workDir.resolve(name), new byte[0]);
            }
            return workDir;
        } catch (IOException e) {
            throw new TrivyException("Trivy's working directory " + workDir + " could not be prepared: "
                    + e.getMessage(), e);
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    /** Kills Trivy and everything it started: a killed parent alone would leave its children holding the pipes. */
    private static void killTree(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The lines of stderr that say what went wrong: Trivy's FATAL/ERROR lines, else its last line. Control characters
     * are dropped (a tab becomes a space): a NUL byte, for one, cannot be stored in a JSON event.
     */
    static String summary(String stderr) {
        List<String> lines = stderr.lines()
                .map(TrivyClient::printable)
                .map(String::strip)
                .filter(l -> !l.isEmpty())
                .toList();
        if (lines.isEmpty()) {
            return "no error output";
        }
        List<String> errors = lines.stream().filter(l -> l.contains("FATAL") || l.contains("ERROR")).toList();
        String text = String.join(" | ", errors.isEmpty() ? List.of(lines.get(lines.size() - 1)) : errors);
        return text.length() <= REASON_CHARS ? text : text.substring(0, REASON_CHARS) + "…";
    }

    /** {@code text} without control characters, tabs turned into spaces. */
    public static String printable(String text) {
        return text.replace('\t', ' ').replaceAll("\\p{Cntrl}", "");
    }

    /** How many callers wait for a Trivy slot; for tests that check the bound deterministically. */
    int waitingForSlot() {
        return permits.getQueueLength();
    }

    private static String seconds(Duration duration) {
        return Math.max(1, (duration.toMillis() + 999) / 1000) + "s";
    }

    @Override
    public void close() {
        streams.shutdownNow();
        try {
            deleteTree(workDir);
        } catch (IOException e) {
            // Only two empty files in a temporary directory are left behind.
        }
    }

    /** A stream read to its end, keeping at most a limit (the head of a report, the tail of a log). */
    private record Bounded(byte[] bytes, boolean truncated) {

        static Bounded read(InputStream in, long limit, boolean keepTail) {
            ByteArrayOutputStream kept = new ByteArrayOutputStream();
            boolean truncated = false;
            byte[] buffer = new byte[64 * 1024];
            try (in) {
                int n;
                while ((n = in.read(buffer)) != -1) {
                    if (kept.size() + n <= limit) {
                        kept.write(buffer, 0, n);
                    } else if (keepTail) {
                        kept.write(buffer, 0, n);
                        byte[] all = kept.toByteArray();
                        kept.reset();
                        kept.write(all, (int) (all.length - limit), (int) limit);
                        truncated = true;
                    } else {
                        // Keep draining, so Trivy never blocks on a full pipe, but keep nothing more.
                        truncated = true;
                    }
                }
            } catch (IOException e) {
                // The process was killed or closed its end: what was read so far is all there is, and the exit
                // code or the parser says what that means.
                return new Bounded(kept.toByteArray(), truncated);
            }
            return new Bounded(kept.toByteArray(), truncated);
        }
    }
}
