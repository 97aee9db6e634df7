package io.modelgate.registrysync;

import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import io.modelgate.events.EventJson;
import io.modelgate.events.RegistryImageDiscovered;
import io.modelgate.events.Topics;
import io.modelgate.registrysync.client.RegistryMetrics;
import io.modelgate.testing.FreePorts;
import io.modelgate.testing.ModelgateTestResources;
import io.modelgate.testing.OciImages;
import io.modelgate.testing.RegistryServer;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Prints registry-sync's figures (run with {@code bench.sh}): cold and warm sync of 10,000 tags in 100 repositories,
 * webhook push → RegistryImageDiscovered on Kafka at 20 pushes/s, and skopeo's time for the same listing. Asserts
 * correctness only (every tag announced once, no manifest GET when nothing changed).
 */
@QuarkusTest
@QuarkusTestResource(ModelgateTestResources.class)
@TestProfile(RegistrySyncBenchmark.Quiet.class)
class RegistrySyncBenchmark {

    /** Quiet logs; no scheduled polling interferes. */
    public static class Quiet implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.log.category.\"io.modelgate\".level", "WARN", "quarkus.log.level", "WARN");
        }
    }

    static final int REPOSITORIES = Integer.getInteger("bench.repositories", 100);
    static final int TAGS = Integer.getInteger("bench.tags", 100);
    static final int PUSHES = Integer.getInteger("bench.pushes", 200);
    static final int INSPECT_SAMPLE = Integer.getInteger("bench.inspectSample", 300);

    @TestHTTPResource("/webhooks")
    URL webhooks;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Inject
    RegistryMetrics metrics;

    @Test
    void figures() throws Exception {
        try (RegistryServer registry = RegistryServer.builder().start()) {
            long seedStart = System.nanoTime();
            seed(registry);
            System.out.printf("BENCH seed: %d tags in %d repositories pushed in %.1f s%n", REPOSITORIES * TAGS,
                    REPOSITORIES, seconds(seedStart));

            var connection = SyncTestSupport.connection("bench-" + System.nanoTime(), registry.url(), Map.of());
            SyncTestSupport.rule(connection.id(), Map.of("name", "everything", "repositoryMatch", "GLOB",
                    "repository", "**"));

            double getsBefore = metrics.count("manifest");
            JsonPath cold = SyncTestSupport.syncAndWait(connection.id());
            double coldSeconds = runSeconds(cold);
            double coldGets = metrics.count("manifest") - getsBefore;
            assertThat(cold.getString("status")).isEqualTo("SUCCEEDED");
            assertThat(cold.getInt("newImages")).isEqualTo(REPOSITORIES * TAGS);

            getsBefore = metrics.count("manifest");
            double headsBefore = metrics.count("head");
            double serviceCpuBefore = serviceCpuSeconds();
            double registryCpuBefore = registryCpuSeconds();
            JsonPath warm = SyncTestSupport.syncAndWait(connection.id());
            double serviceCpu = serviceCpuSeconds() - serviceCpuBefore;
            double registryCpu = registryCpuSeconds() - registryCpuBefore;
            double warmSeconds = runSeconds(warm);
            double warmGets = metrics.count("manifest") - getsBefore;
            assertThat(warm.getInt("newImages")).isZero();
            assertThat(warmGets).isZero();

            System.out.printf("BENCH cold sync: %d tags, %d repositories: %.2f s (target <= 30 s), %d new images,"
                    + " %.0f manifest GETs (one per distinct digest)%n", cold.getInt("tagsSeen"),
                    cold.getInt("repositories"), coldSeconds, cold.getInt("newImages"), coldGets);
            System.out.printf("BENCH warm sync, nothing changed: %.2f s (target <= 5 s), manifest GETs %.0f (target 0),"
                    + " HEADs %.0f%n", warmSeconds, warmGets, metrics.count("head") - headsBefore);
            // CPU, unlike wall time, hardly depends on what else the machine runs: it shows where the time goes.
            double heads = metrics.count("head") - headsBefore;
            System.out.printf("BENCH warm sync CPU: registry-sync JVM %.1f s (%.2f ms per HEAD, test polling included),"
                    + " registry %.1f s (%.2f ms per HEAD); the registry alone needs %.1f s of %d cores%n", serviceCpu,
                    serviceCpu * 1000 / heads, registryCpu, registryCpu * 1000 / heads,
                    registryCpu / Runtime.getRuntime().availableProcessors(),
                    Runtime.getRuntime().availableProcessors());

            double skopeoSeconds = skopeo(registry);
            System.out.printf("BENCH skopeo list-tags (all %d repositories) + inspect (%d of %d tags sampled,"
                    + " extrapolated): %.1f s; registry-sync cold sync is %.1fx faster, warm %.1fx%n", REPOSITORIES,
                    INSPECT_SAMPLE, REPOSITORIES * TAGS, skopeoSeconds, skopeoSeconds / coldSeconds,
                    skopeoSeconds / warmSeconds);
        }
        webhookLatency();
    }

    /** One image per repository, then its manifest PUT under more tags (fast: no blob uploads). */
    private static void seed(RegistryServer registry) throws Exception {
        OciImages images = OciImages.anonymous(registry.url());
        HttpClient http = HttpClient.newHttpClient();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> work = new ArrayList<>();
            for (int r = 0; r < REPOSITORIES; r++) {
                String repository = "bench/model-" + r;
                work.add(pool.submit(() -> {
                    OciImages.Pushed pushed = images.push(repository, "1.0.0", repository, Map.of(),
                            Map.of("io.modelgate.model.name", repository));
                    for (int t = 1; t < TAGS; t++) {
                        put(http, registry.url(), repository, "1." + t + ".0", pushed.manifest());
                    }
                    return null;
                }));
            }
            for (Future<?> f : work) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static void put(HttpClient http, String url, String repository, String tag, byte[] manifest)
            throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url + "/v2/" + repository
                + "/manifests/" + tag))
                .header("Content-Type", OciImages.MANIFEST_MEDIA_TYPE)
                .PUT(HttpRequest.BodyPublishers.ofByteArray(manifest))
                .build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 201) {
            throw new IllegalStateException("manifest PUT answered " + response.statusCode());
        }
    }

    /** CPU time of this JVM (the service and the test driving it). */
    private static double serviceCpuSeconds() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime() / 1e9;
    }

    /** CPU time of the registries this JVM started (user + system, from /proc; 0 where there is no /proc). */
    private static double registryCpuSeconds() {
        return ProcessHandle.current()
                .descendants()
                .filter(p -> p.info().command().map(c -> c.endsWith("docker-registry")).orElse(false))
                .mapToDouble(p -> {
                    try {
                        String stat = java.nio.file.Files
                                .readString(java.nio.file.Path.of("/proc/" + p.pid() + "/stat"));
                        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                        // utime and stime are fields 14 and 15 of stat, 12 and 13 after the command; in clock ticks.
                        return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / 100.0;
                    } catch (java.io.IOException | RuntimeException e) {
                        return 0;
                    }
                })
                .sum();
    }

    private static double runSeconds(JsonPath run) {
        return Duration.between(Instant.parse(run.getString("startedAt")), Instant.parse(run.getString("finishedAt")))
                .toMillis() / 1000.0;
    }

    /** skopeo list-tags of every repository, plus inspect of a sample of tags, extrapolated to all tags. */
    private static double skopeo(RegistryServer registry) throws Exception {
        long start = System.nanoTime();
        for (int r = 0; r < REPOSITORIES; r++) {
            run("skopeo", "list-tags", "--tls-verify=false", "docker://" + registry.hostPort() + "/bench/model-" + r);
        }
        double listing = seconds(start);
        start = System.nanoTime();
        for (int i = 0; i < INSPECT_SAMPLE; i++) {
            int r = i % REPOSITORIES;
            int t = (i / REPOSITORIES) % TAGS;
            run("skopeo", "inspect", "--tls-verify=false", "docker://" + registry.hostPort() + "/bench/model-" + r
                    + ":1." + t + ".0");
        }
        double inspecting = seconds(start) * REPOSITORIES * TAGS / INSPECT_SAMPLE;
        return listing + inspecting;
    }

    private static void run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException(Arrays.toString(command) + " failed");
        }
    }

    /** Pushes at 20/s to a registry that notifies registry-sync; latency from manifest PUT to the event on Kafka. */
    private void webhookLatency() throws Exception {
        int port = FreePorts.next();
        var connection = SyncTestSupport.connection("bench-hook-" + System.nanoTime(), "http://127.0.0.1:" + port,
                Map.of());
        SyncTestSupport.rule(connection.id(), Map.of("name", "all", "repositoryMatch", "GLOB", "repository", "**"));
        Map<String, Long> received = new ConcurrentHashMap<>();
        AtomicBoolean stop = new AtomicBoolean();
        Thread reader = new Thread(() -> read(connection.id(), received, stop));
        reader.start();
        try (RegistryServer registry = RegistryServer.builder()
                .port(port)
                .notify("modelgate", webhooks + "/" + connection.id(),
                        Map.of("Authorization", "Bearer " + connection.webhookSecret()))
                .start()) {
            OciImages.Pushed base = OciImages.anonymous(registry.url())
                    .push("hook/model", "warmup", "w", Map.of(), Map.of());
            HttpClient http = HttpClient.newHttpClient();
            Map<String, Long> sent = new ConcurrentHashMap<>();
            var scheduler = Executors.newScheduledThreadPool(4);
            List<java.util.concurrent.ScheduledFuture<?>> pushes = new ArrayList<>();
            for (int i = 0; i < PUSHES; i++) {
                String tag = "p" + i;
                pushes.add(scheduler.schedule(() -> {
                    // From before the manifest PUT: the PUT's own time is part of what a pusher waits for.
                    sent.put(tag, System.nanoTime());
                    // A distinct manifest per push: distribution's filesystem driver rewrites a shared manifest's
                    // link files non-atomically, so concurrent PUTs and GETs of one manifest race (500s).
                    put(http, registry.url(), "hook/model", tag, new String(base.manifest(),
                            java.nio.charset.StandardCharsets.UTF_8).replace("\"annotations\":{}",
                                    "\"annotations\":{\"seq\":\"" + tag + "\"}")
                            .getBytes(
                                    java.nio.charset.StandardCharsets.UTF_8));
                    return null;
                }, 1000L + i * 50L, TimeUnit.MILLISECONDS));
            }
            for (var push : pushes) {
                push.get();
            }
            scheduler.shutdown();
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (received.keySet().stream().filter(sent::containsKey).count() < PUSHES
                    && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            List<Double> latencies = new ArrayList<>();
            sent.forEach((tag, at) -> {
                Long got = received.get(tag);
                if (got != null) {
                    latencies.add((got - at) / 1e6);
                }
            });
            latencies.sort(Double::compare);
            assertThat(latencies).hasSize(PUSHES);
            System.out.printf("BENCH webhook push -> RegistryImageDiscovered on Kafka, %d pushes at 20/s: p50 %.0f ms,"
                    + " p99 %.0f ms (target <= 200 ms), max %.0f ms%n", PUSHES, percentile(latencies, 50),
                    percentile(latencies, 99), latencies.get(latencies.size() - 1));
        } finally {
            stop.set(true);
            reader.join(5000);
        }
    }

    private void read(String connectionId, Map<String, Long> received, AtomicBoolean stop) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "bench-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(Topics.REGISTRY_IMAGES));
            while (!stop.get()) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(5))) {
                    long now = System.nanoTime();
                    RegistryImageDiscovered event = EventJson.read(record.value(), RegistryImageDiscovered.class);
                    if (connectionId.equals(event.image().connectionId())) {
                        received.putIfAbsent(event.image().tag(), now);
                    }
                }
            }
        }
    }

    private static double percentile(List<Double> sorted, int p) {
        int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(index, sorted.size() - 1)));
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}
