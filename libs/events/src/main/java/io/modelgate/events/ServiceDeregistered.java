package io.modelgate.events;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonIgnore;

/**
 * An inference service was taken out of service (deleted, or its model revoked); produced by serving,
 * consumed by model-sync, which removes it from AIDB.
 *
 * @param serviceId {@code namespace/name} of the service; the Kafka key
 * @param kind in-cluster KServe or external provider
 * @param modelName the model's name in the Model Library
 * @param versionId id of the model version it served; null for an external service
 * @param digest digest of the image it served; null for an external service
 * @param reason why, e.g. {@code revoked} or {@code deleted by operator}
 */
public record ServiceDeregistered(UUID eventId, Instant occurredAt, int schemaVersion, String serviceId,
        ServiceKind kind, String modelName, String versionId, String digest, String reason) implements ModelgateEvent {

    public static final int SCHEMA_VERSION = 1;

    public ServiceDeregistered {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(occurredAt, "occurredAt");
        Values.requireSchemaVersion(schemaVersion, SCHEMA_VERSION);
        Objects.requireNonNull(serviceId, "serviceId");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(modelName, "modelName");
        if (digest != null) {
            ImageDescriptor.requireDigest(digest, "digest");
        }
        Objects.requireNonNull(reason, "reason");
    }

    public static ServiceDeregistered of(String serviceId, ServiceKind kind, String modelName, String versionId,
            String digest, String reason) {
        return new ServiceDeregistered(UUID.randomUUID(), Instant.now(), SCHEMA_VERSION, serviceId, kind, modelName,
                versionId, digest, reason);
    }

    /** Keyed by service id, the same key as its registration. */
    @JsonIgnore
    @Override
    public String key() {
        return serviceId;
    }
}
