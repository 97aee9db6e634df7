package io.modelgate.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.IntPredicate;

/**
 * What every child process the tests and the local stack start needs (the registry, Zipkin, each service): wait until
 * it answers over HTTP, and stop it gracefully, then forcibly.
 */
public final class ChildProcesses {

    private ChildProcesses() {
    }

    /**
     * Polls {@code url} until its status passes {@code ready}; false if the process exits or {@code timeout} passes
     * first (the caller says why, with its log). Each request times out, so something that accepts but never answers
     * on the port cannot hold the loop.
     */
    public static boolean awaitHttp(Process process, URI url, IntPredicate ready, Duration timeout) {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline && process.isAlive()) {
            try {
                HttpResponse<Void> response = client.send(
                        HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(1)).GET().build(),
                        HttpResponse.BodyHandlers.discarding());
                if (ready.test(response.statusCode())) {
                    return true;
                }
            } catch (IOException e) {
                // Not listening yet.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return false;
    }

    /** SIGTERM, so the process runs its own shutdown; SIGKILL after {@code grace}. */
    public static void stop(Process process, Duration grace) {
        process.destroy();
        try {
            if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
