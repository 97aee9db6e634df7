package io.modelgate.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A built Modelgate service ({@code target/quarkus-app/quarkus-run.jar}) running as its own JVM process, the way it
 * runs in production: used by cross-service tests, the local stack and the start-up benchmark.
 */
public final class ServiceProcess implements AutoCloseable {

    private final String name;
    private final Process process;
    private final int port;
    private final Path log;
    private final long readyMillis;

    private ServiceProcess(String name, Process process, int port, Path log, long readyMillis) {
        this.name = name;
        this.process = process;
        this.port = port;
        this.log = log;
        this.readyMillis = readyMillis;
    }

    /** The runnable jar of the service in {@code serviceDir} (for example {@code services/scanner}). */
    public static Path runJar(Path serviceDir) {
        Path jar = serviceDir.resolve("target/quarkus-app/quarkus-run.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("No " + jar + ": build it first (./mvnw package -pl "
                    + serviceDir.getFileName() + " -am -DskipTests)");
        }
        return jar;
    }

    /**
     * Starts {@code jar} with {@code env} on {@code port} and waits until {@code /q/health/ready} answers 200, or
     * fails after {@code timeout} with the tail of the service's log.
     */
    public static ServiceProcess start(String name, Path jar, int port, Map<String, String> env, Path log,
            Duration timeout) {
        // Laptop-sized JVM: small heap, serial collector, C1 only: quicker start and less memory on two cores.
        List<String> command = new ArrayList<>(List.of(javaBinary(), "-Xmx256m", "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1"));
        command.addAll(List.of("-jar", jar.toString()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(env);
        builder.environment().put("QUARKUS_HTTP_PORT", Integer.toString(port));
        // A service started here is for this machine only.
        builder.environment().putIfAbsent("QUARKUS_HTTP_HOST", "127.0.0.1");
        long started = System.nanoTime();
        Process process;
        try {
            Files.createDirectories(log.getParent());
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start " + name, e);
        }
        URI ready = URI.create("http://127.0.0.1:" + port + "/q/health/ready");
        if (ChildProcesses.awaitHttp(process, ready, status -> status == 200,
                timeout.minusNanos(System.nanoTime() - started))) {
            long readyMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            return new ServiceProcess(name, process, port, log, readyMillis);
        }
        if (!process.isAlive()) {
            throw new IllegalStateException(name + " exited with " + process.exitValue() + ":\n" + tail(log));
        }
        process.destroyForcibly();
        throw new IllegalStateException(name + " was not ready within " + timeout + ":\n" + tail(log));
    }

    public String name() {
        return name;
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    public Path log() {
        return log;
    }

    /** Milliseconds from process start to the first ready health check. */
    public long readyMillis() {
        return readyMillis;
    }

    /** Resident set size in MiB, read from {@code /proc} (Linux). */
    public long rssMiB() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
                }
            }
        } catch (IOException e) {
            // Process gone or not Linux.
        }
        return -1;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Stops the service gracefully (SIGTERM, so Quarkus runs its shutdown), forcibly after 15 s. */
    @Override
    public void close() {
        ChildProcesses.stop(process, Duration.ofSeconds(15));
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log at " + log + ")";
        }
    }

}
