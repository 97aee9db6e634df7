package io.modelgate.serving.domain;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.modelgate.events.FunctionType;

/** A model version approval decided on, with what serving needs to deploy it; revoked ones are kept to say why. */
@Entity
@Table(name = "approved_version")
public class ApprovedVersion {

    @Id
    @Column(name = "version_id")
    public String versionId;

    @Column(name = "model_id")
    public String modelId;

    @Column(name = "model_name")
    public String modelName;

    public String version;

    public String digest;

    @Column(name = "image_reference")
    public String imageReference;

    /** Comma-separated {@link FunctionType} names. */
    @Column(name = "function_types")
    public String functionTypes;

    /** The event's {@code ModelMetadata} as JSON, kept for the API. */
    public String metadata;

    @Column(name = "gpu_count")
    public Integer gpuCount;

    @Column(name = "gpu_type")
    public String gpuType;

    @Column(name = "gpu_memory")
    public String gpuMemory;

    public String cpu;

    public String memory;

    @Column(name = "approved_at")
    public Instant approvedAt;

    @Column(name = "revoked_at")
    public Instant revokedAt;

    @Column(name = "revoke_reason")
    public String revokeReason;

    @Column(name = "revoked_by")
    public String revokedBy;

    /** When the newest applied event occurred; older events for the version are stale. */
    @Column(name = "last_event_at")
    public Instant lastEventAt;

    /** W3C trace context ModelApproved arrived in, so that announcements of its deployments continue that trace. */
    public String traceparent;

    public String tracestate;

    public boolean live() {
        return revokedAt == null;
    }

    public List<FunctionType> functionTypeList() {
        if (functionTypes == null || functionTypes.isBlank()) {
            return List.of();
        }
        return Arrays.stream(functionTypes.split(",")).map(FunctionType::valueOf).toList();
    }
}
