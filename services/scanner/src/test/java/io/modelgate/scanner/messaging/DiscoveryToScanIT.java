package io.modelgate.scanner.messaging;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.MeterRegistry;
import io.modelgate.events.Topics;
import io.modelgate.platform.messaging.CloudEventHeaders;
import io.modelgate.platform.security.Roles;
import io.modelgate.scanner.client.trivy.TrivyStandIn;
import io.modelgate.scanner.client.trivy.TrivyStandInResource;
import io.modelgate.testing.EmbeddedKafka;
import io.modelgate.testing.FreePorts;
import io.modelgate.testing.KafkaTestClient;
import io.modelgate.testing.ModelgateTestResources;
import io.modelgate.testing.OciImages;
import io.modelgate.testing.PostgresServer;
import io.modelgate.testing.ServiceProcess;
import io.modelgate.testing.TestTokens;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

/**
 * Two services, two JVMs, one Kafka: registry-sync (the built jar, as its own process with its own database) announces
 * an image through its outbox; this scanner consumes it over real Kafka and scans it exactly once (one scan row, one
 * Trivy run, one {@code ScanCompleted}), also when the record is delivered a second time; and the trace the caller
 * started at registry-sync's HTTP API continues in this scanner's consumer.
 */
@QuarkusTest
@QuarkusTestResource(ModelgateTestResources.class)
@QuarkusTestResource(TrivyStandInResource.class)
class DiscoveryToScanIT {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String TRACE_ID = "0af7651916cd43dd8448eb211c80319c";
    private static final String CALLER_SPAN_ID = "b7ad6b7169203331";
    private static ServiceProcess registrySync;

    @Inject
    EntityManager entityManager;

    @ConfigProperty(name = "modelgate.scanner.trivy.path")
    Path trivy;

    @Inject
    MeterRegistry meters;

    @Inject
    InMemorySpanExporter spans;

    @BeforeAll
    static void startRegistrySync() {
        registrySync = ServiceProcess.start("registry-sync", ServiceProcess.runJar(Path.of("../registry-sync")),
                FreePorts.next(), Map.of(
                        "MODELGATE_DB_URL", PostgresServer.shared().createDatabase("registry_sync"),
                        "MODELGATE_DB_USER", PostgresServer.USER,
                        "MODELGATE_KAFKA_BOOTSTRAP_SERVERS", EmbeddedKafka.shared().bootstrapServers(),
                        "MP_JWT_VERIFY_PUBLICKEY", TestTokens.publicKeyPem(),
                        "MP_JWT_VERIFY_ISSUER", TestTokens.ISSUER,
                        // registry-sync refuses to start without the key that encrypts registry credentials.
                        "MODELGATE_REGISTRY_SYNC_CREDENTIALS_KEY", credentialsKey(),
                        // Traces on, so registry-sync's spans carry the caller's trace into Kafka; with no collector
                        // listening its exporter only logs that it could not export.
                        "QUARKUS_OTEL_SDK_DISABLED", "false"),
                Path.of("target/registry-sync-it.log"), Duration.ofSeconds(60));
    }

    /** A fresh random key, as {@code openssl rand -base64 32} makes one. */
    private static String credentialsKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }

    @AfterAll
    static void stopRegistrySync() {
        if (registrySync != null) {
            registrySync.close();
        }
    }

    @Test
    void discoveryInRegistrySyncIsScannedOnceInScanner() {
        String digest = OciImages.digest(("debian-" + System.nanoTime()).getBytes());
        String eventId = announce(digest);

        // The worker takes the queued scan at once, so what is observable is its result.
        await().atMost(WAIT)
                .untilAsserted(() -> given().auth()
                        .oauth2(TestTokens.forUser("vera", Roles.VIEWER))
                        .get("/api/v1/scans/" + digest)
                        .then()
                        .statusCode(200)
                        .body("status", equalTo("DONE"))
                        .body("verdict", equalTo("FAIL"))
                        .body("reference", equalTo("registry.example.com/models/debian-buster@" + digest)));
        KafkaTestClient.shared().await(Topics.SCANNER_SCANS, r -> digest.equals(r.key()), WAIT);

        // Deliver the same record again; the inbox must recognise it and change nothing.
        double duplicatesBefore = duplicates();
        ConsumerRecord<String, byte[]> record = KafkaTestClient.shared()
                .await(Topics.REGISTRY_IMAGES,
                        r -> eventId.equals(KafkaTestClient.header(r, CloudEventHeaders.ID)), WAIT);
        KafkaTestClient.shared().resend(record);
        await().atMost(WAIT).until(() -> duplicates() > duplicatesBefore);

        assertThat(count("select count(*) from image_scan where digest = '" + digest + "'")).isEqualTo(1);
        assertThat(count("select count(*) from inbox_event where event_id = '" + eventId + "'")).isEqualTo(1);
        assertThat(TrivyStandIn.calls(trivy, digest)).isEqualTo(1);
        assertThat(count("select count(*) from outbox_event where record_key = '" + digest + "'")).isEqualTo(1);
    }

    @Test
    void traceStartedAtRegistrySyncContinuesInTheScannerConsumer() {
        String digest = OciImages.digest(("phi-" + System.nanoTime()).getBytes());
        String eventId = announce(digest, "00-" + TRACE_ID + "-" + CALLER_SPAN_ID + "-01");

        ConsumerRecord<String, byte[]> record = KafkaTestClient.shared()
                .await(Topics.REGISTRY_IMAGES,
                        r -> eventId.equals(KafkaTestClient.header(r, CloudEventHeaders.ID)), WAIT);
        String traceparent = KafkaTestClient.header(record, CloudEventHeaders.TRACEPARENT);
        // 00-<trace id>-<span id of registry-sync's relay publish span>-01
        assertThat(traceparent).startsWith("00-" + TRACE_ID + "-");
        String publishSpanId = traceparent.split("-")[2];
        assertThat(publishSpanId).isNotEqualTo(CALLER_SPAN_ID);

        SpanData consume = await().atMost(WAIT)
                .until(() -> spans.getFinishedSpanItems()
                        .stream()
                        .filter(s -> s.getTraceId().equals(TRACE_ID) && s.getKind() == SpanKind.CONSUMER)
                        .findFirst(), Optional::isPresent)
                .orElseThrow();
        assertThat(consume.getName()).isEqualTo(Topics.REGISTRY_IMAGES + " process");
        assertThat(consume.getParentSpanId()).isEqualTo(publishSpanId);
        assertThat(consume.getAttributes().get(AttributeKey.stringKey("messaging.message.id"))).isEqualTo(eventId);

        // The worker scans later, on its own thread, yet in the same trace: the scan span's parent is the consumer
        // span, and ScanCompleted leaves in that trace.
        SpanData scan = await().atMost(WAIT)
                .until(() -> spans.getFinishedSpanItems()
                        .stream()
                        .filter(s -> s.getTraceId().equals(TRACE_ID) && s.getName().equals("scan"))
                        .findFirst(), Optional::isPresent)
                .orElseThrow();
        assertThat(scan.getParentSpanId()).isEqualTo(consume.getSpanId());
        ConsumerRecord<String, byte[]> completed = KafkaTestClient.shared()
                .await(Topics.SCANNER_SCANS, r -> digest.equals(r.key()), WAIT);
        assertThat(KafkaTestClient.header(completed, CloudEventHeaders.TRACEPARENT)).startsWith("00-" + TRACE_ID + "-");
    }

    private static String announce(String digest) {
        return announce(digest, null);
    }

    private static String announce(String digest, String traceparent) {
        RequestSpecification request = RestAssured.given().baseUri(registrySync.url());
        if (traceparent != null) {
            request = request.header(CloudEventHeaders.TRACEPARENT, traceparent);
        }
        return request
                .auth()
                .oauth2(TestTokens.forUser("ada", Roles.ADMIN))
                .contentType("application/json")
                .body(Map.of("registry", "registry.example.com", "repository", "models/debian-buster", "tag", "10",
                        "digest", digest))
                .post("/api/v1/discoveries")
                .then()
                .statusCode(201)
                .extract()
                .path("eventId");
    }

    private double duplicates() {
        var counter = meters.find("modelgate.consumer.events")
                .tag("consumer", "scanner")
                .tag("outcome", "duplicate")
                .counter();
        return counter == null ? 0 : counter.count();
    }

    private long count(String sql) {
        return QuarkusTransaction.requiringNew()
                .call(() -> ((Number) entityManager.createNativeQuery(sql).getSingleResult()).longValue());
    }
}
