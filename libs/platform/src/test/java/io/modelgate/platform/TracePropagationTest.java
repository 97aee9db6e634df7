package io.modelgate.platform;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.modelgate.events.Topics;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.test.junit.QuarkusTest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@QuarkusTest
class TracePropagationTest {

    private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String CALLER_SPAN_ID = "00f067aa0ba902b7";

    @Inject
    InMemorySpanExporter spans;

    @Test
    void traceStartedByAnHttpRequestContinuesInTheConsumerAcrossTheOutbox() {
        given().header("traceparent", "00-" + TRACE_ID + "-" + CALLER_SPAN_ID + "-01")
                .contentType("application/json")
                .body(Map.of("digest", OutboxInboxTest.randomDigest()))
                .post("/test/notes")
                .then()
                .statusCode(200);

        SpanData consumer = await().atMost(Duration.ofSeconds(20))
                .until(() -> find(SpanKind.CONSUMER, Topics.REGISTRY_IMAGES + " process"), Optional::isPresent)
                .orElseThrow();
        SpanData producer = find(SpanKind.PRODUCER, Topics.REGISTRY_IMAGES + " publish").orElseThrow();
        SpanData server = trace().stream().filter(s -> s.getKind() == SpanKind.SERVER).findFirst().orElseThrow();

        // caller → HTTP server span → outbox relay publish → consumer, one trace.
        assertThat(server.getParentSpanId()).isEqualTo(CALLER_SPAN_ID);
        assertThat(producer.getParentSpanId()).isEqualTo(server.getSpanId());
        assertThat(consumer.getParentSpanId()).isEqualTo(producer.getSpanId());
        assertThat(consumer.getTraceId()).isEqualTo(TRACE_ID);
        assertThat(consumer.getAttributes().asMap().toString()).contains("platform-test");
    }

    private Optional<SpanData> find(SpanKind kind, String name) {
        return trace().stream().filter(s -> s.getKind() == kind && s.getName().equals(name)).findFirst();
    }

    private List<SpanData> trace() {
        return spans.getFinishedSpanItems().stream().filter(s -> s.getTraceId().equals(TRACE_ID)).toList();
    }
}
