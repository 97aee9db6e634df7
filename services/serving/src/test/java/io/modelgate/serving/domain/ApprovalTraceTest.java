package io.modelgate.serving.domain;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Predicate;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.modelgate.events.EventJson;
import io.modelgate.events.EventTypes;
import io.modelgate.events.ModelApproved;
import io.modelgate.events.Topics;
import io.modelgate.platform.messaging.CloudEventHeaders;
import io.modelgate.platform.security.Roles;
import io.modelgate.serving.Fixtures;
import io.modelgate.testing.KafkaTestClient;
import io.modelgate.testing.KubernetesTestResource;
import io.modelgate.testing.ModelgateTestResources;
import io.modelgate.testing.TestTokens;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

import static io.modelgate.serving.Fixtures.NS;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * One trace per image through serving: a deployment's announcements, written by the status watch or by an operator's
 * request, continue the trace its version's ModelApproved arrived in.
 */
@QuarkusTest
@QuarkusTestResource(ModelgateTestResources.class)
@QuarkusTestResource(KubernetesTestResource.class)
class ApprovalTraceTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String OPERATOR = TestTokens.forUser("olga", Roles.OPERATOR);

    @Inject
    InMemorySpanExporter spans;

    @Test
    void aDeploymentIsRegisteredAndDeregisteredInTheTraceOfItsApproval() {
        String imageTrace = traceId();
        String approvalSpan = spanId();
        ModelApproved approved = Fixtures.approved(UUID.randomUUID().toString(), "traced", Fixtures.newDigest(), null);
        send(approved, "00-" + imageTrace + "-" + approvalSpan + "-01");
        Fixtures.awaitSql("select count(*) from approved_version where version_id = '" + approved.versionId() + "'",
                1);
        SpanData consumer = awaitSpan(s -> s.getTraceId().equals(imageTrace) && s.getKind() == SpanKind.CONSUMER);
        assertThat(consumer.getParentSpanId()).isEqualTo(approvalSpan);

        // An operator deploys it in a request with a trace of its own; the status watch announces it later.
        String name = Fixtures.unique("traced");
        String serviceId = NS + "/" + name;
        given().header(CloudEventHeaders.TRACEPARENT, "00-" + traceId() + "-" + spanId() + "-01")
                .auth()
                .oauth2(OPERATOR)
                .contentType(ContentType.JSON)
                .body(Map.of("name", name, "namespace", NS, "model", Map.of("versionId", approved.versionId()),
                        "runtime", "vllm"))
                .post("/api/v1/deployments")
                .then()
                .statusCode(201);
        Fixtures.markReady(NS, name);
        Fixtures.assertEverythingWrittenIsValid();
        SpanData registered = assertAnnouncedInImageTrace(awaitRecord(serviceId, EventTypes.SERVICE_REGISTERED.type()),
                imageTrace, consumer);
        assertThat(registered.getAttributes().get(AttributeKey.stringKey("messaging.kafka.message.key")))
                .isEqualTo(serviceId);

        // Deleted by a request in another trace: the deregistration joins the image's trace, linked both ways.
        String deleteTrace = traceId();
        given().header(CloudEventHeaders.TRACEPARENT, "00-" + deleteTrace + "-" + spanId() + "-01")
                .auth()
                .oauth2(OPERATOR)
                .delete("/api/v1/deployments/" + serviceId)
                .then()
                .statusCode(204);
        SpanData deregistered = assertAnnouncedInImageTrace(
                awaitRecord(serviceId, EventTypes.SERVICE_DEREGISTERED.type()), imageTrace, consumer);
        SpanData server = awaitSpan(s -> s.getTraceId().equals(deleteTrace) && s.getKind() == SpanKind.SERVER);
        assertThat(deregistered.getLinks()).extracting(link -> link.getSpanContext().getSpanId())
                .containsExactly(server.getSpanId());
        assertThat(server.getLinks()).extracting(LinkData::getSpanContext)
                .anyMatch(link -> link.getTraceId().equals(imageTrace)
                        && link.getSpanId().equals(deregistered.getSpanId()));
    }

    /** The record's trace is the image's: relay span → "service announced" → ModelApproved's consumer span. */
    private SpanData assertAnnouncedInImageTrace(ConsumerRecord<String, byte[]> record, String imageTrace,
            SpanData consumer) {
        String traceparent = KafkaTestClient.header(record, CloudEventHeaders.TRACEPARENT);
        assertThat(traceparent).startsWith("00-" + imageTrace + "-");
        SpanData producer = awaitSpan(s -> s.getSpanId().equals(traceparent.split("-")[2]));
        assertThat(producer.getName()).isEqualTo(Topics.SERVING_SERVICES + " publish");
        SpanData announced = awaitSpan(s -> s.getSpanId().equals(producer.getParentSpanId()));
        assertThat(announced.getName()).isEqualTo(ApprovalTrace.ANNOUNCED_SPAN);
        assertThat(announced.getTraceId()).isEqualTo(imageTrace);
        assertThat(announced.getParentSpanId()).isEqualTo(consumer.getSpanId());
        assertThat(announced.getAttributes().get(AttributeKey.stringKey("cloudevents.event_type")))
                .isEqualTo(KafkaTestClient.header(record, CloudEventHeaders.TYPE));
        return announced;
    }

    /** Sends {@code event} as approval's outbox relay would: CloudEvents headers and the trace it was published in. */
    private static void send(ModelApproved event, String traceparent) {
        KafkaTestClient.shared()
                .send(Topics.APPROVAL_MODELS, event.key(), EventJson.write(event), Map.of(
                        "ce_specversion", "1.0",
                        "ce_id", event.eventId().toString(),
                        "ce_type", EventTypes.MODEL_APPROVED.type(),
                        "ce_source", "/modelgate/approval",
                        "ce_time", event.occurredAt().toString(),
                        "content-type", "application/json",
                        CloudEventHeaders.TRACEPARENT, traceparent));
    }

    private static ConsumerRecord<String, byte[]> awaitRecord(String serviceId, String type) {
        return KafkaTestClient.shared()
                .await(Topics.SERVING_SERVICES, r -> serviceId.equals(r.key())
                        && type.equals(KafkaTestClient.header(r, CloudEventHeaders.TYPE)), WAIT);
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
