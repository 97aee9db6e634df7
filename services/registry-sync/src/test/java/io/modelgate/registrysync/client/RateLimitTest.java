package io.modelgate.registrysync.client;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.function.Function;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.modelgate.registrysync.SyncTestSupport;
import io.modelgate.testing.ModelgateTestResources;
import io.modelgate.testing.OciImages;
import io.modelgate.testing.RegistryServer;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * 429 handling against a real registry: a test-owned reverse proxy (a JDK {@code HttpServer}) forwards every request
 * to a real distribution registry, except the ones it is told to answer with 429 — distribution itself never
 * rate-limits, Docker Hub and Harbor do.
 */
@QuarkusTest
@QuarkusTestResource(ModelgateTestResources.class)
class RateLimitTest {

    private static final Set<String> NOT_COPIED = Set.of("content-length", "transfer-encoding", "connection",
            "keep-alive", "date");

    @Inject
    MeterRegistry meters;

    /** What the proxy saw: each HEAD, when it arrived, and whether it was answered 429. */
    private record Seen(String path, long atNanos, boolean throttled) {
    }

    /**
     * A reverse proxy in front of {@code upstream}; {@code throttle} picks the 429 answer (headers) for the n-th HEAD
     * (counted from 0), or null to forward it.
     */
    private static final class RateLimitingProxy implements AutoCloseable {
        final HttpServer server;
        final ConcurrentLinkedQueue<Seen> heads = new ConcurrentLinkedQueue<>();
        private final HttpClient http = HttpClient.newHttpClient();
        private final String upstream;
        private final Function<Integer, Map<String, String>> throttle;
        private int headCount;

        RateLimitingProxy(String upstream, Function<Integer, Map<String, String>> throttle) throws IOException {
            this.upstream = upstream;
            this.throttle = throttle;
            this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.setExecutor(Executors.newFixedThreadPool(4));
            server.createContext("/", this::handle);
            server.start();
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort();
        }

        private void handle(HttpExchange exchange) throws IOException {
            try (exchange) {
                boolean head = "HEAD".equals(exchange.getRequestMethod());
                if (head) {
                    Map<String, String> limited;
                    synchronized (this) {
                        limited = throttle.apply(headCount++);
                    }
                    if (limited != null) {
                        limited.forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
                        heads.add(new Seen(exchange.getRequestURI().getPath(), System.nanoTime(), true));
                        exchange.sendResponseHeaders(429, -1);
                        return;
                    }
                    heads.add(new Seen(exchange.getRequestURI().getPath(), System.nanoTime(), false));
                }
                forward(exchange, head);
            }
        }

        private void forward(HttpExchange exchange, boolean head) throws IOException {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(upstream + exchange.getRequestURI()))
                    .method(exchange.getRequestMethod(), HttpRequest.BodyPublishers.noBody());
            for (String name : List.of("Accept", "Authorization")) {
                String value = exchange.getRequestHeaders().getFirst(name);
                if (value != null) {
                    request.header(name, value);
                }
            }
            HttpResponse<byte[]> response;
            try {
                response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(e);
            }
            response.headers().map().forEach((name, values) -> {
                String lower = name.toLowerCase(java.util.Locale.ROOT);
                if (!name.startsWith(":") && (!NOT_COPIED.contains(lower) || head && lower.equals("content-length"))) {
                    exchange.getResponseHeaders().put(name, values);
                }
            });
            byte[] body = response.body();
            exchange.sendResponseHeaders(response.statusCode(), head || body.length == 0 ? -1 : body.length);
            if (!head && body.length > 0) {
                exchange.getResponseBody().write(body);
            }
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }

    private double throttledHeads() {
        return meters.find(RegistryMetrics.REQUESTS)
                .tag("kind", "head")
                .tag("status", "429")
                .counters()
                .stream()
                .mapToDouble(Counter::count)
                .sum();
    }

    @Test
    void aRateLimitedRunWaitsAsToldAndSucceeds() throws Exception {
        try (RegistryServer registry = RegistryServer.builder().start();
                // The first HEAD says Retry-After (Harbor, most registries), the second ratelimit-reset (Docker Hub).
                RateLimitingProxy proxy = new RateLimitingProxy(registry.url(), n -> switch (n) {
                    case 0 -> Map.of("Retry-After", "1");
                    case 1 -> Map.of("ratelimit-reset", "1", "ratelimit-remaining", "0");
                    default -> null;
                })) {
            OciImages.Pushed pushed = OciImages.anonymous(registry.url())
                    .push("limited/gemma", "2.0.0", "gemma", Map.of(), Map.of());
            var connection = SyncTestSupport.connection("limited-" + System.nanoTime(), proxy.url(), Map.of());
            SyncTestSupport.rule(connection.id(), Map.of("name", "gemma", "repositoryMatch", "EXACT", "repository",
                    "limited/gemma"));
            double before = throttledHeads();

            JsonPath run = SyncTestSupport.syncAndWait(connection.id());

            assertThat(run.getString("status")).isEqualTo("SUCCEEDED");
            assertThat(run.getInt("newImages")).isEqualTo(1);
            assertThat(run.getInt("errors")).isZero();
            assertThat(SyncTestSupport.events(connection.id(), 1).get(0).image().digest()).isEqualTo(pushed.digest());
            assertThat(throttledHeads() - before).isEqualTo(2);
            // One tag, HEADed three times: 429, 429, then forwarded; each retry came no sooner than it was told.
            List<Seen> heads = List.copyOf(proxy.heads);
            assertThat(heads).extracting(Seen::throttled).containsExactly(true, true, false);
            for (int i = 1; i < heads.size(); i++) {
                assertThat(Duration.ofNanos(heads.get(i).atNanos() - heads.get(i - 1).atNanos()))
                        .isGreaterThanOrEqualTo(Duration.ofMillis(990));
            }
        }
    }

    @Test
    void aWaitLongerThanTheLongestBackoffFailsThatTagNotTheRun() throws Exception {
        try (RegistryServer registry = RegistryServer.builder().start();
                RateLimitingProxy proxy = new RateLimitingProxy(registry.url(),
                        n -> n == 0 ? Map.of("Retry-After", "3600") : null)) {
            OciImages images = OciImages.anonymous(registry.url());
            images.push("limited/one", "1.0.0", "one", Map.of(), Map.of());
            images.push("limited/one", "1.1.0", "one again", Map.of(), Map.of());
            var connection = SyncTestSupport.connection("limited-long-" + System.nanoTime(), proxy.url(), Map.of());
            SyncTestSupport.rule(connection.id(), Map.of("name", "one", "repositoryMatch", "EXACT", "repository",
                    "limited/one"));
            double before = throttledHeads();

            JsonPath run = SyncTestSupport.syncAndWait(connection.id());

            // An hour is more than client.max-backoff (30 s): that tag fails at once, the other one is announced.
            assertThat(run.getString("status")).isEqualTo("PARTIAL");
            assertThat(run.getInt("errors")).isEqualTo(1);
            assertThat(run.getInt("newImages")).isEqualTo(1);
            assertThat(run.getList("messages", String.class))
                    .anyMatch(m -> m.contains("rate limited") && m.contains("3600 s"));
            assertThat(throttledHeads() - before).isEqualTo(1);
        }
    }
}
