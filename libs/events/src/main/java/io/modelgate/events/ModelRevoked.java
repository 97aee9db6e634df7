package io.modelgate.events;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonIgnore;

/**
 * A model version's approval was withdrawn; produced by approval, consumed by serving, which takes every
 * service running it out of service.
 *
 * @param modelId id of the model in the Model Library
 * @param modelName the model's name
 * @param versionId id of the revoked version; the Kafka key
 * @param version the version label
 * @param digest digest of the revoked image; serving stops everything running it
 * @param imageReference the pinned reference of the revoked image
 * @param reason why it was revoked, for the audit trail
 * @param revokedBy user name of who revoked it, or the policy that did
 */
public record ModelRevoked(UUID eventId, Instant occurredAt, int schemaVersion, String modelId, String modelName,
        String versionId, String version, String digest, String imageReference, String reason,
        String revokedBy) implements ModelgateEvent {

    public static final int SCHEMA_VERSION = 1;

    public ModelRevoked {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(occurredAt, "occurredAt");
        Values.requireSchemaVersion(schemaVersion, SCHEMA_VERSION);
        Objects.requireNonNull(modelId, "modelId");
        Objects.requireNonNull(modelName, "modelName");
        Objects.requireNonNull(versionId, "versionId");
        Objects.requireNonNull(version, "version");
        ImageDescriptor.requireDigest(digest, "digest");
        Objects.requireNonNull(imageReference, "imageReference");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(revokedBy, "revokedBy");
    }

    public static ModelRevoked of(String modelId, String modelName, String versionId, String version, String digest,
            String imageReference, String reason, String revokedBy) {
        return new ModelRevoked(UUID.randomUUID(), Instant.now(), SCHEMA_VERSION, modelId, modelName, versionId,
                version, digest, imageReference, reason, revokedBy);
    }

    /** Keyed by version id, the same key as the approval it withdraws. */
    @JsonIgnore
    @Override
    public String key() {
        return versionId;
    }
}
