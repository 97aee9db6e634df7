package io.modelgate.approval;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.URL;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.MeterRegistry;
import io.modelgate.approval.domain.ScanIntake;
import io.modelgate.events.EventJson;
import io.modelgate.events.EventTypes;
import io.modelgate.events.ScanCompleted;
import io.modelgate.events.Topics;
import io.modelgate.events.Verdict;
import io.modelgate.platform.messaging.CloudEventHeaders;
import io.modelgate.platform.messaging.EventHandlers;
import io.modelgate.platform.messaging.EventProcessor;
import io.modelgate.testing.EmbeddedKafka;
import io.modelgate.testing.ModelgateTestResources;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

import static io.modelgate.approval.Library.autoApprove;
import static io.modelgate.approval.Library.requireApprovals;
import static io.modelgate.approval.Library.rule;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Measures what the issue asks for and prints it: ScanCompleted handled per second (policy evaluation, state change,
 * inbox and outbox in one transaction), through Kafka and in-process, and the browse API's latency with 10,000
 * versions in the library. Asserts only that the work was done. Run with {@code bench.sh}.
 */
@QuarkusTest
@QuarkusTestResource(ModelgateTestResources.class)
class ApprovalBenchmark {

    private static final int WARMUP_SCANS = 1_000;
    private static final int KAFKA_SCANS = 3_000;
    private static final int LIBRARY_SIZE = 10_000;
    private static final int BROWSE_REQUESTS = 300;
    private static final int IN_PROCESS_BATCH = 200;
    private static final String[] TYPES = {"chat", "completion", "embedding", "rerank", "ocr", "image-embedding"};
    private static final String[] LICENSES = {"apache-2.0", "mit", "llama3.1", "gemma"};

    @Inject
    EventProcessor processor;

    @Inject
    EntityManager entityManager;

    @Inject
    ScanIntake intake;

    @Inject
    MeterRegistry meters;

    @TestHTTPResource("/api/v1/versions")
    URL versionsUrl;

    // A plain client, so the figures are the service's and not a test library's parsing.
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void throughputAndBrowseLatency() {
        // Passing scans of licensed models auto-approve, the rest wait for people: both paths are exercised.
        Library.activatePolicy(List.of(Map.of("name", "licensed", "when", Map.of("verdicts", List.of("PASS"),
                "licenses", List.of("apache-2.0", "mit")), "outcome", autoApprove()),
                rule("passed", List.of("PASS"), requireApprovals(2))), Library.reject(), null);

        // Warm-up through the same path (JIT, connection pools, consumer assignment), not measured.
        String warmupRegistry = "warmup.bench.example.com";
        send(scans(warmupRegistry, WARMUP_SCANS));
        Awaitility.await()
                .atMost(Duration.ofMinutes(5))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> decided(warmupRegistry) == WARMUP_SCANS);

        String kafkaRegistry = "kafka.bench.example.com";
        List<ScanCompleted> viaKafka = scans(kafkaRegistry, KAFKA_SCANS);
        long start = System.nanoTime();
        send(viaKafka);
        Awaitility.await()
                .atMost(Duration.ofMinutes(5))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> decided(kafkaRegistry) == KAFKA_SCANS);
        double kafkaSeconds = (System.nanoTime() - start) / 1e9;
        double fallbacks = meters.find("modelgate.consumer.batch.fallbacks")
                .counters()
                .stream()
                .mapToDouble(c -> c.count())
                .sum();
        double meanBatch = meters.find("modelgate.consumer.batch.size")
                .summaries()
                .stream()
                .mapToDouble(c -> c.mean())
                .max()
                .orElse(1);
        double retries = meters.find("modelgate.consumer.retries")
                .counters()
                .stream()
                .mapToDouble(c -> c.count())
                .sum();

        String directRegistry = "direct.bench.example.com";
        List<ScanCompleted> direct = scans(directRegistry, LIBRARY_SIZE - KAFKA_SCANS - WARMUP_SCANS);
        start = System.nanoTime();
        // The consumer's own handler, run by the platform's processor on records built in memory.
        EventHandlers handlers = EventHandlers.builder().on(ScanCompleted.class, intake::record).build();
        // CPU time of this thread alone: what one scan costs the service, however busy the shared machine is.
        long cpuStart = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
        // Batches of the size the consumer polls (max.poll.records), as the Kafka path applies them.
        List<ConsumerRecord<String, byte[]>> batch = new ArrayList<>();
        long offset = 0;
        for (ScanCompleted scan : direct) {
            batch.add(record(scan, offset++));
            if (batch.size() == IN_PROCESS_BATCH || offset == direct.size()) {
                assertThat(processor.processBatch("approval", batch, handlers))
                        .containsOnly(EventProcessor.Outcome.PROCESSED);
                batch.clear();
            }
        }
        double directSeconds = (System.nanoTime() - start) / 1e9;
        double cpuMillisPerScan = (ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - cpuStart) / 1e6
                / direct.size();
        assertThat(decided(directRegistry)).isEqualTo(direct.size());
        long approvals = count("select count(*) from outbox_event where event_type = '"
                + EventTypes.MODEL_APPROVED.type() + "'");

        System.out.printf("%n=== approval benchmark ===%n");
        System.out.printf("ScanCompleted via Kafka (consumer, inbox, policy, state, audit, outbox): %d in %.2f s"
                + " = %.0f/s%n", KAFKA_SCANS, kafkaSeconds, KAFKA_SCANS / kafkaSeconds);
        System.out.printf("  mean batch (poll) size %.1f; batches rolled back and applied record by record: %.0f,"
                + " record retries: %.0f (warm-up included)%n", meanBatch, fallbacks, retries);
        System.out.printf("ScanCompleted in-process through EventProcessor.processBatch (batches of %d, no broker):"
                + " %d in %.2f s = %.0f/s%n", IN_PROCESS_BATCH, direct.size(), directSeconds,
                direct.size() / directSeconds);
        System.out.printf("  service-thread CPU per scan: %.2f ms (= %.0f/s per core, database and relay excluded)%n",
                cpuMillisPerScan, 1000 / cpuMillisPerScan);
        System.out.printf("ModelApproved written to the outbox: %d%n", approvals);
        System.out.printf("Load average while measuring: %.1f on %d cores%n",
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
                Runtime.getRuntime().availableProcessors());

        long versions = count("select count(*) from model_version");
        assertThat(versions).isGreaterThanOrEqualTo(LIBRARY_SIZE);
        System.out.printf("Browse latency with %d versions in the library (%d requests each, HTTP, page of 50):%n",
                versions, BROWSE_REQUESTS);
        List<Long> all = new ArrayList<>();
        all.addAll(browse("no filter, newest first", Map.of()));
        all.addAll(browse("functionType=chat", Map.of("functionType", "chat")));
        all.addAll(browse("state=PENDING_APPROVAL, sort=name", Map.of("state", "PENDING_APPROVAL", "sort", "name")));
        all.addAll(browse("license=mit, registry", Map.of("license", "mit", "registry", kafkaRegistry)));
        all.addAll(browse("q=model-12, page 3", Map.of("q", "model-12", "page", 3)));
        all.addAll(browse("functionType=rerank, state=APPROVED, sort=size asc",
                Map.of("functionType", "rerank", "state", "APPROVED", "sort", "size", "order", "asc")));
        System.out.printf("  all queries: p50 %.1f ms, p99 %.1f ms%n", percentile(all, 50), percentile(all, 99));
    }

    private List<Long> browse(String label, Map<String, Object> params) {
        for (int i = 0; i < 20; i++) {
            request(params);
        }
        List<Long> nanos = new ArrayList<>();
        for (int i = 0; i < BROWSE_REQUESTS; i++) {
            long start = System.nanoTime();
            request(params);
            nanos.add(System.nanoTime() - start);
        }
        System.out.printf("  %-55s p50 %.1f ms, p99 %.1f ms%n", label, percentile(nanos, 50), percentile(nanos, 99));
        return nanos;
    }

    private void request(Map<String, Object> params) {
        StringBuilder query = new StringBuilder();
        params.forEach((name, value) -> query.append(query.isEmpty() ? "?" : "&")
                .append(name)
                .append('=')
                .append(URLEncoder.encode(String.valueOf(value), StandardCharsets.UTF_8)));
        HttpRequest request = HttpRequest.newBuilder(URI.create(versionsUrl.toString() + query))
                .header("Authorization", "Bearer " + Library.VIEWER)
                .build();
        try {
            HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            assertThat(response.statusCode()).isEqualTo(200);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static double percentile(List<Long> nanos, int percentile) {
        long[] sorted = nanos.stream().mapToLong(Long::longValue).sorted().toArray();
        int index = (int) Math.ceil(percentile / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, index)] / 1e6;
    }

    private static List<ScanCompleted> scans(String registry, int count) {
        List<ScanCompleted> scans = new ArrayList<>(count);
        Instant scannedAt = Instant.now();
        for (int i = 0; i < count; i++) {
            // 500 models with several versions each, as a real library has.
            String model = "model-" + (i % 500) + "-" + registry.substring(0, 4);
            scans.add(Library.scan(Library.image(Library.newDigest(), registry, "models/" + model, "v" + i, Map.of(
                    "io.modelgate.model.name", model,
                    "io.modelgate.model.version", "1." + i,
                    "io.modelgate.model.function-types", TYPES[i % TYPES.length] + "," + TYPES[(i / 7) % TYPES.length],
                    "io.modelgate.model.license", LICENSES[i % LICENSES.length],
                    "io.modelgate.model.parameter-count", (1 + i % 70) + "B")),
                    i % 10 == 9 ? Verdict.FAIL : Verdict.PASS, scannedAt, false));
        }
        return scans;
    }

    private static void send(List<ScanCompleted> scans) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, EmbeddedKafka.shared().bootstrapServers());
        props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props, new StringSerializer(),
                new ByteArraySerializer())) {
            for (ScanCompleted scan : scans) {
                ProducerRecord<String, byte[]> record = new ProducerRecord<>(Topics.SCANNER_SCANS, scan.key(),
                        EventJson.write(scan));
                headers(scan).forEach((k, v) -> record.headers().add(k, v.getBytes(StandardCharsets.UTF_8)));
                producer.send(record);
            }
            producer.flush();
        }
    }

    private static ConsumerRecord<String, byte[]> record(ScanCompleted scan, long offset) {
        ConsumerRecord<String, byte[]> record = new ConsumerRecord<>(Topics.SCANNER_SCANS, 0, offset, scan.key(),
                EventJson.write(scan));
        headers(scan).forEach((k, v) -> record.headers().add(k, v.getBytes(StandardCharsets.UTF_8)));
        return record;
    }

    private static Map<String, String> headers(ScanCompleted scan) {
        return Map.of(CloudEventHeaders.SPEC_VERSION, "1.0", CloudEventHeaders.ID, scan.eventId().toString(),
                CloudEventHeaders.TYPE, EventTypes.SCAN_COMPLETED.type(), CloudEventHeaders.SOURCE, "/modelgate/bench",
                CloudEventHeaders.TIME, scan.occurredAt().toString(), CloudEventHeaders.CONTENT_TYPE,
                "application/json");
    }

    private long decided(String registry) {
        return count("select count(*) from model_version where registry = '" + registry
                + "' and state in ('APPROVED', 'PENDING_APPROVAL', 'REJECTED')");
    }

    private long count(String sql) {
        return QuarkusTransaction.requiringNew()
                .call(() -> ((Number) entityManager.createNativeQuery(sql).getSingleResult()).longValue());
    }
}
