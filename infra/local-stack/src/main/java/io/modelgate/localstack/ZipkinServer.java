package io.modelgate.localstack;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import io.modelgate.testing.ChildProcesses;

/**
 * The Zipkin server (its executable jar from Maven Central, fetched by this module's build) as a child process: the
 * local stack's tracing dashboard, receiving every service's spans. Traces are kept in memory, as Zipkin does by
 * default; they do not survive a restart.
 */
final class ZipkinServer implements AutoCloseable {

    private final Process process;
    private final int port;

    private ZipkinServer(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    static ZipkinServer start(Path jar, int port, Path log, Duration timeout) {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("No Zipkin server at " + jar + ": build infra/local-stack first");
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(List.of(java, "-Xmx256m", "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1", "-jar", jar.toString()))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().put("QUERY_PORT", Integer.toString(port));
        builder.environment().put("STORAGE_TYPE", "mem");
        try {
            Files.createDirectories(log.getParent());
            ZipkinServer server = new ZipkinServer(builder.start(), port);
            server.awaitHealthy(timeout, log);
            return server;
        } catch (IOException e) {
            throw new IllegalStateException("Could not start Zipkin", e);
        }
    }

    private void awaitHealthy(Duration timeout, Path log) {
        if (!ChildProcesses.awaitHttp(process, URI.create(url() + "/health"), status -> status == 200, timeout)) {
            boolean exited = !process.isAlive();
            close();
            throw new IllegalStateException("Zipkin " + (exited ? "exited" : "was not healthy within " + timeout)
                    + "; see " + log);
        }
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    /** Where services send spans (Zipkin's v2 JSON API). */
    String spansEndpoint() {
        return url() + "/api/v2/spans";
    }

    @Override
    public void close() {
        ChildProcesses.stop(process, Duration.ofSeconds(5));
    }
}
