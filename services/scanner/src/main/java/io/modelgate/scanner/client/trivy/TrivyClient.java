package io.modelgate.scanner.client.trivy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
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

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Runs the Trivy CLI: {@code trivy image} on a digest-pinned reference, and {@code trivy version}. Credentials go
 * through the environment only, a scan past its time has its whole process tree killed, and a semaphore bounds how many
 * scans run at once. Every failure is a {@link TrivyException} whose message is the reason, never a partial result.
 */
public class TrivyClient implements AutoCloseable {

    /** Trivy's credential variables: set per scan for the scanned registry, never inherited from this process. */
    static final List<String> CREDENTIAL_VARIABLES = List.of("TRIVY_USERNAME", "TRIVY_PASSWORD",
            "TRIVY_REGISTRY_TOKEN");

    private static final Duration VERSION_TIMEOUT = Duration.ofSeconds(30);
    private static final int REASON_CHARS = 500;

    private final TrivySettings settings;
    private final Semaphore permits;
    private final ExecutorService streams;

    public TrivyClient(TrivySettings settings) {
        this.settings = settings;
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
        List<String> command = new ArrayList<>(List.of(settings.binary().toString(), "image",
                "--format", "json",
                "--scanners", settings.scanners(),
                "--image-src", "remote",
                "--cache-dir", settings.cacheDir().toString(),
                "--timeout", seconds(settings.timeout()),
                "--no-progress"));
        settings.server().ifPresent(url -> {
            command.add("--server");
            command.add(url);
        });
        if (settings.insecureRegistries().contains(registry)) {
            command.add("--insecure");
        }
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
            throw new TrivyException("Interrupted while waiting for a Trivy slot");
        }
        try {
            Instant start = Instant.now();
            Outcome outcome = run(command, credentials.environment(), settings.timeout().plus(settings.killGrace()));
            if (outcome.exitCode() != 0) {
                throw new TrivyException("Trivy exited with code " + outcome.exitCode() + ": "
                        + credentials.redact(summary(outcome.stderr())));
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

    Outcome run(List<String> command, Map<String, String> environment, Duration limit) throws TrivyException {
        ProcessBuilder builder = new ProcessBuilder(command);
        CREDENTIAL_VARIABLES.forEach(builder.environment()::remove);
        builder.environment().putAll(environment);
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
            throw new TrivyException("Interrupted while Trivy was running");
        } catch (ExecutionException | TimeoutException | IOException e) {
            killTree(process);
            throw new TrivyException("Trivy's output could not be read: " + e.getMessage(), e);
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

    /** The lines of stderr that say what went wrong: Trivy's FATAL/ERROR lines, else its last line. */
    static String summary(String stderr) {
        List<String> lines = stderr.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
        if (lines.isEmpty()) {
            return "no error output";
        }
        List<String> errors = lines.stream().filter(l -> l.contains("FATAL") || l.contains("ERROR")).toList();
        String text = String.join(" | ", errors.isEmpty() ? List.of(lines.get(lines.size() - 1)) : errors);
        return text.length() <= REASON_CHARS ? text : text.substring(0, REASON_CHARS) + "…";
    }

    private static String seconds(Duration duration) {
        return Math.max(1, (duration.toMillis() + 999) / 1000) + "s";
    }

    @Override
    public void close() {
        streams.shutdownNow();
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
