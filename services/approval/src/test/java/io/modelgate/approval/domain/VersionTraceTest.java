package io.modelgate.approval.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Predicate;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.modelgate.approval.Library;
import io.modelgate.events.EventTypes;
import io.modelgate.events.Topics;
import io.modelgate.events.Verdict;
import io.modelgate.platform.messaging.CloudEventHeaders;
import io.modelgate.testing.KafkaTestClient;
import io.modelgate.testing.ModelgateTestResources;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

import static io.modelgate.approval.Library.autoApprove;
import static io.modelgate.approval.Library.reject;
import static io.modelgate.approval.Library.requireApprovals;
import static io.modelgate.approval.Library.rule;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * One trace per image through approval: the events of a version decided later by people continue the trace its scan
 * arrived in, and are linked to the requests that decided them.
 */
@QuarkusTest
@QuarkusTestResource(ModelgateTestResources.class)
class VersionTraceTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Instant T0 = Instant.parse("2026-11-20T10:00:00Z");

    @Inject
    InMemorySpanExporter spans;

    @Test
    void aHumanApprovalAndARevocationArePublishedInTheImagesTraceLinkedToTheirRequests() {
        Library.activatePolicy(List.of(rule("one", List.of("PASS"), requireApprovals(1))), reject(), null);
        String imageTrace = traceId();
        String scannerSpan = spanId();
        String digest = Library.newDigest();
        Library.sendScan(Library.scan(Library.image(digest, "models/traced", Map.of()), Verdict.PASS, T0, false),
                "00-" + imageTrace + "-" + scannerSpan + "-01");
        String versionId = (String) Library.awaitVersion(digest, "PENDING_APPROVAL").get("id");
        SpanData consumer = awaitSpan(s -> s.getTraceId().equals(imageTrace) && s.getKind() == SpanKind.CONSUMER);
        assertThat(consumer.getParentSpanId()).isEqualTo(scannerSpan);

        // A person approves, in a request with a trace of its own.
        String approvalTrace = traceId();
        given().header(CloudEventHeaders.TRACEPARENT, "00-" + approvalTrace + "-" + spanId() + "-01")
                .auth()
                .oauth2(Library.approver("alice"))
                .contentType("application/json")
                .body(Map.of("decision", "APPROVE"))
                .post("/api/v1/versions/" + versionId + "/decisions")
                .then()
                .statusCode(200);
        assertPublishedInImageTrace(Library.awaitEvent(versionId, EventTypes.MODEL_APPROVED.type()), imageTrace,
                consumer, approvalTrace);

        // Someone else revokes it later, in yet another trace: the revocation joins the image's trace too.
        String revocationTrace = traceId();
        given().header(CloudEventHeaders.TRACEPARENT, "00-" + revocationTrace + "-" + spanId() + "-01")
                .auth()
                .oauth2(Library.approver("bob"))
                .contentType("application/json")
                .body(Map.of("reason", "licence withdrawn"))
                .post("/api/v1/versions/" + versionId + "/revocation")
                .then()
                .statusCode(200);
        assertPublishedInImageTrace(Library.awaitEvent(versionId, EventTypes.MODEL_REVOKED.type()), imageTrace,
                consumer, revocationTrace);
    }

    @Test
    void aPolicyApprovalIsPublishedFromTheScansConsumerSpanWithoutAnExtraSpan() {
        Library.activatePolicy(List.of(rule("clean", List.of("PASS"), autoApprove())), reject(), null);
        String imageTrace = traceId();
        String digest = Library.newDigest();
        Library.sendScan(Library.scan(Library.image(digest, "models/auto-traced", Map.of()), Verdict.PASS, T0, false),
                "00-" + imageTrace + "-" + spanId() + "-01");
        String versionId = (String) Library.awaitVersion(digest, "APPROVED").get("id");

        String traceparent = KafkaTestClient.header(Library.awaitEvent(versionId, EventTypes.MODEL_APPROVED.type()),
                CloudEventHeaders.TRACEPARENT);
        assertThat(traceparent).startsWith("00-" + imageTrace + "-");
        SpanData producer = awaitSpan(s -> s.getSpanId().equals(traceparent.split("-")[2]));
        SpanData consumer = awaitSpan(s -> s.getTraceId().equals(imageTrace) && s.getKind() == SpanKind.CONSUMER);
        assertThat(producer.getParentSpanId()).isEqualTo(consumer.getSpanId());
    }

    /**
     * The record's trace is the image's: relay span → "approval decided" → the scan's consumer span; the decided span
     * links to the request's server span, and that span links back.
     */
    private void assertPublishedInImageTrace(ConsumerRecord<String, byte[]> record, String imageTrace,
            SpanData consumer, String requestTrace) {
        String traceparent = KafkaTestClient.header(record, CloudEventHeaders.TRACEPARENT);
        assertThat(traceparent).startsWith("00-" + imageTrace + "-");

        SpanData producer = awaitSpan(s -> s.getSpanId().equals(traceparent.split("-")[2]));
        assertThat(producer.getName()).isEqualTo(Topics.APPROVAL_MODELS + " publish");
        SpanData decided = awaitSpan(s -> s.getSpanId().equals(producer.getParentSpanId()));
        assertThat(decided.getName()).isEqualTo(VersionTrace.DECIDED_SPAN);
        assertThat(decided.getKind()).isEqualTo(SpanKind.INTERNAL);
        assertThat(decided.getTraceId()).isEqualTo(imageTrace);
        assertThat(decided.getParentSpanId()).isEqualTo(consumer.getSpanId());
        assertThat(decided.getAttributes().get(AttributeKey.stringKey("cloudevents.event_type")))
                .isEqualTo(KafkaTestClient.header(record, CloudEventHeaders.TYPE));

        SpanData server = awaitSpan(s -> s.getTraceId().equals(requestTrace) && s.getKind() == SpanKind.SERVER);
        assertThat(decided.getLinks()).extracting(link -> link.getSpanContext().getSpanId())
                .containsExactly(server.getSpanId());
        assertThat(server.getLinks()).extracting(LinkData::getSpanContext)
                .anyMatch(link -> link.getTraceId().equals(imageTrace) && link.getSpanId().equals(decided.getSpanId()));
    }

    private SpanData awaitSpan(Predicate<SpanData> match) {
        return Awaitility.await()
                .atMost(WAIT)
                .until(() -> spans.getFinishedSpanItems().stream().filter(match).findFirst(), Optional::isPresent)
                .orElseThrow();
    }

    private static String traceId() {
        return UUID.randomUUID().toString().replace("-", "");
    }

    private static String spanId() {
        return traceId().substring(0, 16);
    }
}
