package io.modelgate.events;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The wire format every service shares. */
class EventJsonTest {

    @Test
    void mapperIsShared() {
        assertThat(EventJson.mapper()).isSameAs(EventJson.mapper());
    }

    @Test
    void timestampsAreIsoStringsWithFullPrecision() throws Exception {
        JsonNode json = EventJson.mapper().readTree(EventJson.write(SampleEvents.modelRevoked()));

        assertThat(json.get("occurredAt").asText()).isEqualTo("2025-05-02T09:20:00.123456789Z");
        assertThat(json.get("eventId").asText()).isEqualTo("3e9c6b7d-4f5a-4b8c-9d2e-3f4a5b6c7d8e");
        assertThat(json.get("schemaVersion").asInt()).isEqualTo(1);
    }

    @Test
    void nullsAreOmitted() throws Exception {
        JsonNode json = EventJson.mapper().readTree(EventJson.write(SampleEvents.minimal(ServiceRegistered.class)));

        assertThat(json.has("versionId")).isFalse();
        assertThat(json.has("externalUrl")).isFalse();
        assertThat(json.has("servedModelName")).isTrue();
    }

    @Test
    void derivedAccessorsAreNotSerialized() throws Exception {
        ObjectNode json = (ObjectNode) EventJson.mapper().readTree(EventJson.write(SampleEvents.scanCompleted()));

        assertThat(json.has("key")).isFalse();
        assertThat(json.has("summary")).isFalse();
        assertThat(json.get("counts").has("total")).isFalse();
        assertThat(json.get("image").get("platform").has("value")).isFalse();
        assertThat(json.get("image").get("platform").get("architecture").asText()).isEqualTo("arm64");
    }

    @Test
    void unparseablePayloadIsAnEventFormatException() {
        byte[] garbage = "{not json".getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> EventJson.read(garbage, ModelRevoked.class))
                .isInstanceOf(EventFormatException.class)
                .hasMessageContaining("ModelRevoked")
                .hasCauseInstanceOf(com.fasterxml.jackson.core.JsonProcessingException.class);
    }

    @Test
    void invalidPayloadIsAnEventFormatExceptionCausedByTheRecord() throws Exception {
        ObjectNode json = EventJson.mapper().valueToTree(SampleEvents.modelRevoked());
        json.remove("reason");
        byte[] bytes = EventJson.mapper().writeValueAsBytes(json);

        assertThatThrownBy(() -> EventJson.read(bytes, ModelRevoked.class))
                .isInstanceOf(EventFormatException.class)
                .hasRootCauseInstanceOf(NullPointerException.class)
                .hasRootCauseMessage("reason");
    }

    @Test
    void otherSchemaVersionIsAnEventFormatException() throws Exception {
        ObjectNode json = EventJson.mapper().valueToTree(SampleEvents.modelRevoked());
        json.put("schemaVersion", 2);
        byte[] bytes = EventJson.mapper().writeValueAsBytes(json);

        assertThatThrownBy(() -> EventJson.read(bytes, ModelRevoked.class))
                .isInstanceOf(EventFormatException.class)
                .hasRootCauseInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void readsIntoTheInterfaceTypeOfAnEventType() {
        EventType<?> type = EventTypes.byType("io.modelgate.scanner.scan.completed.v1").orElseThrow();
        ModelgateEvent event = EventJson.read(EventJson.write(SampleEvents.scanCompleted()), type.javaType());

        assertThat(event).isEqualTo(SampleEvents.scanCompleted());
        assertThat(event.key()).isEqualTo(SampleEvents.DIGEST);
    }
}
