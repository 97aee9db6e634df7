package io.modelgate.events;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonIgnore;

/**
 * A model version was approved for serving; produced by approval, consumed by serving, which may from then
 * on deploy exactly this digest.
 *
 * @param modelId id of the model in the Model Library
 * @param modelName the model's name, e.g. {@code llama-3.1-8b-instruct}
 * @param versionId id of the approved version; the Kafka key
 * @param version the version label, e.g. {@code 1.0.0}
 * @param image the approved image, pinned by digest
 * @param functionTypes what the model does
 * @param metadata descriptive facts; null if none recorded
 * @param resources what the model needs to run; null to let serving choose
 * @param scan the scan the approval was based on; null if approved without one
 * @param approval who or what approved
 */
public record ModelApproved(UUID eventId, Instant occurredAt, int schemaVersion, String modelId, String modelName,
        String versionId, String version, ImageDescriptor image, List<FunctionType> functionTypes,
        ModelMetadata metadata, ResourceRequirements resources, ScanSummary scan,
        ApprovalDecision approval) implements ModelgateEvent {

    public static final int SCHEMA_VERSION = 1;

    public ModelApproved {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(occurredAt, "occurredAt");
        Values.requireSchemaVersion(schemaVersion, SCHEMA_VERSION);
        Objects.requireNonNull(modelId, "modelId");
        Objects.requireNonNull(modelName, "modelName");
        Objects.requireNonNull(versionId, "versionId");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(image, "image");
        functionTypes = Values.list(functionTypes);
        Objects.requireNonNull(approval, "approval");
    }

    public static ModelApproved of(String modelId, String modelName, String versionId, String version,
            ImageDescriptor image, List<FunctionType> functionTypes, ModelMetadata metadata,
            ResourceRequirements resources, ScanSummary scan, ApprovalDecision approval) {
        return new ModelApproved(UUID.randomUUID(), Instant.now(), SCHEMA_VERSION, modelId, modelName, versionId,
                version, image, functionTypes, metadata, resources, scan, approval);
    }

    /** Keyed by version id, the same key as its revocation, so the two can never be reordered. */
    @JsonIgnore
    @Override
    public String key() {
        return versionId;
    }
}
