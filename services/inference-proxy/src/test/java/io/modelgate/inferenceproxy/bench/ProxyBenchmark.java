package io.modelgate.inferenceproxy.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

import io.modelgate.testing.FreePorts;
import io.modelgate.testing.ServiceProcess;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;

/**
 * Added latency of the proxy, side by side with nginx {@code proxy_pass} as the floor, against the same local upstream:
 * an open-loop generator sends at a fixed rate and measures each request from its scheduled start (so a slow target
 * cannot slow the generator down and hide its own latency). Prints p50/p99 per target and the difference to calling
 * the upstream directly, the highest rate sustained with under 0.1% errors, streaming time to first byte, and the
 * proxy's memory under load.
 */
public final class ProxyBenchmark {

    private static final String KEY = "sk-bench-provider-key";
    private static final String CLIENT_KEY = "mg-bench-client-key";
    private static final Buffer CHAT = Buffer.buffer("{\"model\":\"bench\",\"messages\":[{\"role\":\"user\","
            + "\"content\":\"Say hello\"}]}");
    private static final Buffer STREAM = Buffer.buffer("{\"model\":\"bench\",\"stream\":true,\"messages\":["
            + "{\"role\":\"user\",\"content\":\"Say hello\"}]}");
    private static final Buffer COMPLETION = Buffer.buffer("{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\","
            + "\"created\":1700000000,\"model\":\"bench\",\"choices\":[{\"index\":0,\"message\":{\"role\":"
            + "\"assistant\",\"content\":\"Hello!\"},\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":9,"
            + "\"completion_tokens\":3,\"total_tokens\":12}}");

    private ProxyBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int rate = Integer.getInteger("bench.rate", 1000);
        int seconds = Integer.getInteger("bench.seconds", 15);
        int maxRate = Integer.getInteger("bench.max-rate", 2000);
        Path proxyJar = Path.of(System.getProperty("bench.proxy-jar", "target/quarkus-app/quarkus-run.jar"));
        Vertx vertx = Vertx.vertx();
        int upstreamPort = FreePorts.next();
        HttpServer upstream = startUpstream(vertx, upstreamPort);
        Path work = Files.createTempDirectory("proxy-bench");
        Process nginx = startNginx(work, upstreamPort);
        int nginxPort = Integer.parseInt(Files.readString(work.resolve("port")));
        ServiceProcess proxy = ServiceProcess.start("inference-proxy", proxyJar, FreePorts.next(), Map.of(
                "MODELGATE_PROXY_UPSTREAM_URL", "http://127.0.0.1:" + upstreamPort + "/v1",
                "MODELGATE_PROXY_API_KEY", KEY,
                "MODELGATE_PROXY_CLIENT_API_KEYS", CLIENT_KEY,
                "MODELGATE_PROXY_JWT_ENABLED", "false",
                "QUARKUS_LOG_LEVEL", "WARN"), work.resolve("proxy.log"), Duration.ofSeconds(60));
        HttpClient client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setTcpNoDelay(true),
                new PoolOptions().setHttp1MaxSize(512));
        try {
            List<Target> targets = List.of(new Target("direct", upstreamPort), new Target("nginx", nginxPort),
                    new Target("modelgate-proxy", proxy.port()));
            System.out.printf("Open loop, %d requests/s for %d s, non-streaming chat completions%n", rate, seconds);
            System.out.printf("%-16s %9s %9s %9s %8s %12s %12s%n", "target", "p50 ms", "p99 ms", "max ms", "errors",
                    "+p50 ms", "+p99 ms");
            Result direct = null;
            for (Target target : targets) {
                run(client, target, CHAT, rate, 3, false);
                Result result = run(client, target, CHAT, rate, seconds, false);
                if (direct == null) {
                    direct = result;
                }
                System.out.printf("%-16s %9.3f %9.3f %9.3f %8d %12.3f %12.3f%n", target.name, result.p50, result.p99,
                        result.max, result.errors, result.p50 - direct.p50, result.p99 - direct.p99);
            }
            System.out.printf("%nStreaming time to first byte, %d requests/s for %d s%n", rate / 2, seconds);
            Result directStream = null;
            for (Target target : targets) {
                Result result = run(client, target, STREAM, rate / 2, seconds, true);
                if (directStream == null) {
                    directStream = result;
                }
                System.out.printf("%-16s TTFB p50 %.3f ms, p99 %.3f ms (+p50 %.3f ms), errors %d%n", target.name,
                        result.p50, result.p99, result.p50 - directStream.p50, result.errors);
            }
            System.out.printf("%nSustained %d requests/s for %d s%n", maxRate, seconds);
            for (Target target : targets.subList(1, 3)) {
                Result result = run(client, target, CHAT, maxRate, seconds, false);
                System.out.printf("%-16s achieved %.0f req/s, errors %.3f%%, p99 %.3f ms%n", target.name,
                        result.achieved, 100.0 * result.errors / result.sent, result.p99);
            }
            System.out.printf("%nmodelgate-proxy RSS after load: %d MiB%n", proxy.rssMiB());
        } finally {
            proxy.close();
            nginx.destroy();
            upstream.close();
            vertx.close();
        }
    }

    private record Target(String name, int port) {
    }

    private record Result(double p50, double p99, double max, long errors, long sent, double achieved) {
    }

    /** Sends {@code rate} requests a second for {@code seconds}, each on schedule; waits for all to finish. */
    private static Result run(HttpClient client, Target target, Buffer body, int rate, int seconds,
            boolean firstByte) throws InterruptedException {
        int total = rate * seconds;
        long[] latencies = new long[total];
        AtomicLong errors = new AtomicLong();
        AtomicLong lastCompletion = new AtomicLong();
        AtomicReference<String> firstError = new AtomicReference<>();
        CountDownLatch done = new CountDownLatch(total);
        long interval = TimeUnit.SECONDS.toNanos(1) / rate;
        long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(50);
        for (int i = 0; i < total; i++) {
            long scheduled = start + i * interval;
            long wait = scheduled - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            int index = i;
            RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST)
                    .setHost("127.0.0.1")
                    .setPort(target.port)
                    .setURI("/v1/chat/completions")
                    .putHeader("Authorization", "Bearer " + (target.name.equals("modelgate-proxy") ? CLIENT_KEY : KEY))
                    .putHeader("Content-Type", "application/json")
                    // A stalled request counts as an error rather than holding up the run.
                    .setIdleTimeout(10_000);
            client.request(options)
                    .compose(request -> request.send(body))
                    .compose(response -> {
                        if (firstByte) {
                            latencies[index] = System.nanoTime() - scheduled;
                        }
                        return response.body().map(b -> response.statusCode());
                    })
                    .onComplete(outcome -> {
                        if (!firstByte) {
                            latencies[index] = System.nanoTime() - scheduled;
                        }
                        if (outcome.failed() || outcome.result() != 200) {
                            errors.incrementAndGet();
                            firstError.compareAndSet(null, outcome.failed()
                                    ? outcome.cause().toString()
                                    : "HTTP " + outcome.result());
                        }
                        lastCompletion.accumulateAndGet(System.nanoTime(), Math::max);
                        done.countDown();
                    });
        }
        done.await(seconds + 30L, TimeUnit.SECONDS);
        long completed = total - done.getCount();
        // Throughput up to the last completion: requests that never finish are errors, not a longer run.
        double elapsed = (lastCompletion.get() - start) / 1e9;
        if (firstError.get() != null) {
            System.out.printf("  (%s: first error %s)%n", target.name, firstError.get());
        }
        errors.addAndGet(total - completed);
        long[] sorted = latencies.clone();
        Arrays.sort(sorted);
        return new Result(percentile(sorted, 50), percentile(sorted, 99), sorted[sorted.length - 1] / 1e6,
                errors.get(), total, completed / elapsed);
    }

    private static double percentile(long[] sorted, double p) {
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(index, sorted.length - 1))] / 1e6;
    }

    /** A local OpenAI-compatible upstream that answers at once: what is measured is the path, not the model. */
    private static HttpServer startUpstream(Vertx vertx, int port) {
        return vertx.createHttpServer().requestHandler(request -> request.body().onSuccess(body -> {
            if (request.path().endsWith("/models")) {
                request.response()
                        .putHeader("content-type", "application/json")
                        .end("{\"object\":\"list\",\"data\":[]}");
            } else if (body.toString().contains("\"stream\":true")) {
                request.response().setChunked(true).putHeader("content-type", "text/event-stream");
                request.response().write("data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hel\"}}]}\n\n");
                request.response()
                        .end("data: {\"choices\":[],\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":2}}"
                                + "\n\ndata: [DONE]\n\n");
            } else {
                request.response().putHeader("content-type", "application/json").end(COMPLETION);
            }
        })).listen(port, "127.0.0.1").toCompletionStage().toCompletableFuture().join();
    }

    /** Debian's nginx as a plain reverse proxy in front of the same upstream, with the provider key injected. */
    private static Process startNginx(Path work, int upstreamPort) throws Exception {
        int port = FreePorts.next();
        Files.writeString(work.resolve("port"), Integer.toString(port));
        Files.createDirectories(work.resolve("logs"));
        String config = """
                worker_processes 1;
                daemon off;
                user root;
                pid %1$s/nginx.pid;
                error_log %1$s/logs/error.log warn;
                events { worker_connections 4096; }
                http {
                  access_log off;
                  client_body_temp_path %1$s/body;
                  proxy_temp_path %1$s/proxy;
                  upstream provider { server 127.0.0.1:%2$d; keepalive 256; keepalive_requests 1000000; }
                  server {
                    listen 127.0.0.1:%3$d;
                    keepalive_requests 1000000;
                    location / {
                      proxy_pass http://provider;
                      proxy_http_version 1.1;
                      proxy_set_header Connection "";
                      proxy_set_header Authorization "Bearer %4$s";
                      proxy_buffering off;
                    }
                  }
                }
                """.formatted(work, upstreamPort, port, KEY);
        Path file = work.resolve("nginx.conf");
        Files.writeString(file, config);
        Process process = new ProcessBuilder("/usr/sbin/nginx", "-c", file.toString(), "-p", work.toString())
                .redirectErrorStream(true)
                .redirectOutput(work.resolve("logs/nginx.out").toFile())
                .start();
        Thread.sleep(500);
        if (!process.isAlive()) {
            throw new IllegalStateException("nginx did not start: " + Files.readString(work.resolve("logs/nginx.out")));
        }
        return process;
    }
}
