package io.modelgate.approval.domain;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import io.modelgate.events.ImageDescriptor;
import io.modelgate.events.ModelMetadata;
import io.modelgate.events.ResourceRequirements;
import io.modelgate.events.ScanSummary;
import io.modelgate.events.SeverityCounts;
import io.modelgate.events.Verdict;

/** One version of a model: exactly one image digest, its metadata, its latest scan and its approval state. */
@Entity
@Table(name = "model_version")
public class ModelVersion {

    @Id
    public UUID id;

    @Column(name = "model_id")
    public UUID modelId;

    /** The model's name, copied so browsing sorts and searches one table; a model's name never changes. */
    @Column(name = "model_name")
    public String modelName;

    /** The model's function types ({@code ,CHAT,EMBEDDING,}), copied for the same reason and kept in step on edit. */
    @Column(name = "function_types")
    public String functionTypesColumn = ",";

    public String version;

    public String digest;

    public String reference;

    @Column(name = "connection_id")
    public String connectionId;

    public String registry;

    public String repository;

    public String tag;

    @Column(name = "media_type")
    public String mediaType;

    @Column(name = "size_bytes")
    public long sizeBytes;

    @Column(name = "image_created_at")
    public Instant imageCreatedAt;

    @JdbcTypeCode(SqlTypes.JSON)
    public Map<String, String> labels = Map.of();

    @JdbcTypeCode(SqlTypes.JSON)
    public Map<String, String> annotations = Map.of();

    @Column(name = "parameter_count")
    public Long parameterCount;

    @Column(name = "context_length")
    public Integer contextLength;

    public String dtype;

    public String quantization;

    public String license;

    @JdbcTypeCode(SqlTypes.JSON)
    public Map<String, String> performance = Map.of();

    @Column(name = "gpu_count")
    public Integer gpuCount;

    @Column(name = "gpu_type")
    public String gpuType;

    @Column(name = "gpu_memory")
    public String gpuMemory;

    public String cpu;

    public String memory;

    @Enumerated(EnumType.STRING)
    public VersionState state;

    /** Who or what caused the current state: a user name or {@code policy:<policy>/<rule>}. */
    @Column(name = "state_actor")
    public String stateActor;

    @Column(name = "state_changed_at")
    public Instant stateChangedAt;

    public boolean flagged;

    @Column(name = "flag_reason")
    public String flagReason;

    /** The policy rule whose outcome applies ({@code <policy>/<rule>}). */
    @Column(name = "policy_rule")
    public String policyRule;

    @Column(name = "required_approvals")
    public int requiredApprovals;

    @Column(name = "required_role")
    public String requiredRole;

    /** Raised each time the version enters PENDING_APPROVAL: only decisions of the current round count. */
    @Column(name = "review_round")
    public int reviewRound;

    @Column(name = "scan_id")
    public String scanId;

    @Enumerated(EnumType.STRING)
    @Column(name = "scan_verdict")
    public Verdict scanVerdict;

    @Column(name = "scan_critical")
    public Integer scanCritical;

    @Column(name = "scan_high")
    public Integer scanHigh;

    @Column(name = "scan_medium")
    public Integer scanMedium;

    @Column(name = "scan_low")
    public Integer scanLow;

    @Column(name = "scan_unknown")
    public Integer scanUnknown;

    @Column(name = "scan_fixable")
    public Integer scanFixable;

    @Column(name = "scan_secrets")
    public Integer scanSecrets;

    @Column(name = "scanned_at")
    public Instant scannedAt;

    @Column(name = "scanner_version")
    public String scannerVersion;

    @Column(name = "scanner_db_version")
    public String scannerDbVersion;

    @Column(name = "discovered_at")
    public Instant discoveredAt;

    @Column(name = "updated_at")
    public Instant updatedAt;

    /** W3C trace context of the scan last recorded, so that later decisions publish in the image's trace. */
    public String traceparent;

    public String tracestate;

    public ImageDescriptor image() {
        return new ImageDescriptor(connectionId, registry, repository, tag, digest, reference, mediaType, null,
                sizeBytes, imageCreatedAt, labels, annotations);
    }

    public ModelMetadata metadata() {
        return new ModelMetadata(parameterCount, contextLength, dtype, quantization, license, performance);
    }

    public ResourceRequirements resources() {
        return new ResourceRequirements(gpuCount, gpuType, gpuMemory, cpu, memory);
    }

    public SeverityCounts counts() {
        return scanVerdict == null
                ? null
                : new SeverityCounts(scanCritical, scanHigh, scanMedium, scanLow, scanUnknown);
    }

    /** The latest recorded scan; null before the first. */
    public ScanSummary scan() {
        return scanVerdict == null
                ? null
                : new ScanSummary(scanId, scanVerdict, counts(), scanFixable, scanSecrets, scannedAt, scannerVersion,
                        scannerDbVersion);
    }
}
