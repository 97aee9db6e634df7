package io.modelgate.events;

import java.util.Objects;

/**
 * Everything the platform needs to route one event type: CloudEvents type, payload version, Java record,
 * Kafka topic and JSON Schema; the outbox relay uses it to produce and consumers to decide what they can
 * parse.
 *
 * @param type the CloudEvents {@code ce_type}, ending in {@code .v<version>}
 * @param version the payload schema version, equal to the record's {@code SCHEMA_VERSION}
 * @param javaType the record the payload deserializes into
 * @param topic the Kafka topic the event travels on
 * @param schemaResource classpath path of the event's JSON Schema
 */
public record EventType<T extends ModelgateEvent>(String type, int version, Class<T> javaType, String topic,
        String schemaResource) {

    public EventType {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(javaType, "javaType");
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(schemaResource, "schemaResource");
        if (version < 1) {
            throw new IllegalArgumentException("version must be at least 1: " + version);
        }
        // The version is part of ce_type so a consumer can reject an unknown version from the headers alone.
        if (!type.endsWith(".v" + version)) {
            throw new IllegalArgumentException("type " + type + " must end with .v" + version);
        }
    }
}
