package io.modelgate.events;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;

import static org.assertj.core.api.Assertions.assertThat;

/** The schemas can fail: payloads that break the contract produce validation errors. */
class SchemaNegativeTest {

    @Test
    void missingRequiredTopLevelFieldIsReported() {
        ObjectNode json = json(SampleEvents.modelApproved());
        json.remove("versionId");

        assertThat(Schemas.validate(EventTypes.MODEL_APPROVED, json))
                .anySatisfy(m -> assertThat(m.getMessage()).contains("versionId"));
    }

    @Test
    void missingRequiredNestedFieldIsReported() {
        ObjectNode json = json(SampleEvents.registryImageDiscovered());
        ((ObjectNode) json.get("image")).remove("digest");

        assertThat(Schemas.validate(EventTypes.REGISTRY_IMAGE_DISCOVERED, json))
                .anySatisfy(m -> assertThat(m.getMessage()).contains("digest"));
    }

    @Test
    void missingEnvelopeFieldIsReported() {
        ObjectNode json = json(SampleEvents.serviceRegistered());
        json.remove("eventId");

        assertThat(Schemas.validate(EventTypes.SERVICE_REGISTERED, json)).isNotEmpty();
    }

    @Test
    void malformedImageDigestIsReported() {
        ObjectNode json = json(SampleEvents.scanCompleted());
        ((ObjectNode) json.get("image")).put("digest", "SHA256:not a digest");

        assertThat(Schemas.validate(EventTypes.SCAN_COMPLETED, json))
                .anySatisfy(m -> assertThat(m.getInstanceLocation().toString()).contains("digest"));
    }

    @Test
    void malformedTopLevelDigestIsReported() {
        ObjectNode json = json(SampleEvents.modelRevoked());
        json.put("digest", "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08");

        assertThat(Schemas.validate(EventTypes.MODEL_REVOKED, json)).isNotEmpty();
    }

    @Test
    void wrongSchemaVersionIsReported() {
        ObjectNode json = json(SampleEvents.serviceDeregistered());
        json.put("schemaVersion", 2);

        assertThat(Schemas.validate(EventTypes.SERVICE_DEREGISTERED, json)).isNotEmpty();
    }

    @Test
    void malformedUuidAndTimestampAreReported() {
        ObjectNode json = json(SampleEvents.modelRevoked());
        json.put("eventId", "not-a-uuid");
        json.put("occurredAt", "yesterday");

        assertThat(Schemas.validate(EventTypes.MODEL_REVOKED, json))
                .anySatisfy(m -> assertThat(m.getInstanceLocation().toString()).contains("eventId"))
                .anySatisfy(m -> assertThat(m.getInstanceLocation().toString()).contains("occurredAt"));
    }

    @Test
    void valueOutsideAnEnumIsReported() {
        ObjectNode json = json(SampleEvents.scanCompleted());
        json.put("verdict", "MAYBE");

        assertThat(Schemas.validate(EventTypes.SCAN_COMPLETED, json)).isNotEmpty();
    }

    @Test
    void negativeCountIsReported() {
        ObjectNode json = json(SampleEvents.scanCompleted());
        ((ObjectNode) json.get("counts")).put("critical", -1);

        assertThat(Schemas.validate(EventTypes.SCAN_COMPLETED, json)).isNotEmpty();
    }

    @Test
    void wrongTypeIsReported() {
        ObjectNode json = json(SampleEvents.serviceRegistered());
        json.put("functionTypes", "CHAT");

        assertThat(Schemas.validate(EventTypes.SERVICE_REGISTERED, json)).isNotEmpty();
    }

    private static ObjectNode json(ModelgateEvent event) {
        return EventJson.mapper().valueToTree(event);
    }
}
