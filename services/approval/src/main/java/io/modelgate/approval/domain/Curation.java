package io.modelgate.approval.domain;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import io.modelgate.approval.persistence.MetadataChangeRepository;
import io.modelgate.approval.persistence.ModelRepository;
import io.modelgate.approval.persistence.ModelVersionRepository;
import io.modelgate.events.FunctionType;
import io.modelgate.platform.problem.ProblemException;

/**
 * Administrators' edits of model and version metadata, each field's old and new value kept as history. Editing a
 * version, or the model of undecided versions, makes the editor one of their requesters (who may not approve them)
 * and has the policy decide again, since the facts it decided on changed.
 */
@ApplicationScoped
public class Curation {

    /** New values of a version's metadata; a null field stays as it is, a given performance map replaces the old. */
    public record VersionPatch(Long parameterCount, Integer contextLength, String dtype, String quantization,
            String license, Map<String, String> performance, Integer gpuCount, String gpuType, String gpuMemory,
            String cpu, String memory) {
    }

    /** New values of a model's description; a null field stays as it is. */
    public record ModelPatch(String publisher, String description, Set<FunctionType> functionTypes) {
    }

    private final ModelRepository models;
    private final ModelVersionRepository versions;
    private final MetadataChangeRepository changes;
    private final ApprovalWorkflow workflow;
    private final AuditTrail audit;

    public Curation(ModelRepository models, ModelVersionRepository versions, MetadataChangeRepository changes,
            ApprovalWorkflow workflow, AuditTrail audit) {
        this.models = models;
        this.versions = versions;
        this.changes = changes;
        this.workflow = workflow;
        this.audit = audit;
    }

    @Transactional
    public ModelVersion editVersion(UUID versionId, VersionPatch patch, String user, String comment) {
        ModelVersion version = workflow.lock(versionId);
        if (!ApprovalWorkflow.reopenable(version)) {
            throw ProblemException.conflict("Version " + versionId + " is " + version.state + " (" + version.stateActor
                    + "); its metadata is frozen as it was decided. Only a pending version or one rejected by a"
                    + " policy can be edited");
        }
        List<MetadataChange> changed = new ArrayList<>();
        Change change = new Change(version.modelId, versionId, user, comment, changed);
        change.field("parameterCount", version.parameterCount, patch.parameterCount(), v -> version.parameterCount = v);
        change.field("contextLength", version.contextLength, patch.contextLength(), v -> version.contextLength = v);
        change.field("dtype", version.dtype, patch.dtype(), v -> version.dtype = v);
        change.field("quantization", version.quantization, patch.quantization(), v -> version.quantization = v);
        change.field("license", version.license, patch.license(), v -> version.license = v);
        change.field("performance", version.performance, patch.performance(),
                v -> version.performance = Map.copyOf(v));
        change.field("gpuCount", version.gpuCount, patch.gpuCount(), v -> version.gpuCount = v);
        change.field("gpuType", version.gpuType, patch.gpuType(), v -> version.gpuType = v);
        change.field("gpuMemory", version.gpuMemory, patch.gpuMemory(), v -> version.gpuMemory = v);
        change.field("cpu", version.cpu, patch.cpu(), v -> version.cpu = v);
        change.field("memory", version.memory, patch.memory(), v -> version.memory = v);
        if (changed.isEmpty()) {
            return version;
        }
        changed.forEach(changes::persist);
        version.updatedAt = Instant.now();
        audit.version(user, AuditAction.METADATA_EDITED, version, version.state, version.state,
                fields(changed) + (comment == null ? "" : ": " + comment));
        Model model = models.findById(version.modelId);
        workflow.apply(model, version, workflow.evaluate(model, version));
        return version;
    }

    @Transactional
    public Model editModel(UUID modelId, ModelPatch patch, String user, String comment) {
        Model model = models.findByIdOptional(modelId)
                .orElseThrow(() -> ProblemException.notFound("No model " + modelId));
        List<MetadataChange> changed = new ArrayList<>();
        Change change = new Change(modelId, null, user, comment, changed);
        change.field("publisher", model.publisher, patch.publisher(), v -> model.publisher = v);
        change.field("description", model.description, patch.description(), v -> model.description = v);
        change.field("functionTypes", Set.copyOf(model.functionTypes()), patch.functionTypes(),
                v -> model.functionTypes(v));
        if (!changed.isEmpty()) {
            changed.forEach(changes::persist);
            versions.update("functionTypesColumn = ?1 where modelId = ?2", model.functionTypesColumn, modelId);
            model.updatedAt = Instant.now();
            String what = fields(changed) + (comment == null ? "" : ": " + comment);
            audit.model(user, AuditAction.MODEL_EDITED, modelId, what);
            // The model's facts are part of every undecided version's facts: the editor becomes one of their
            // requesters (separation of duties) and the policy decides them again.
            for (ModelVersion version : versions.lockByModel(modelId)) {
                if (ApprovalWorkflow.reopenable(version)) {
                    audit.version(user, AuditAction.METADATA_EDITED, version, version.state, version.state,
                            "model " + what);
                    workflow.apply(model, version, workflow.evaluate(model, version));
                }
            }
        }
        return model;
    }

    private static String fields(List<MetadataChange> changed) {
        return "changed " + String.join(", ", changed.stream().map(c -> c.field).toList());
    }

    /** Collects the changes of one edit. */
    private record Change(UUID modelId, UUID versionId, String user, String comment, List<MetadataChange> changed) {

        <T> void field(String name, T old, T value, Consumer<T> set) {
            if (value == null || Objects.equals(old, value)) {
                return;
            }
            MetadataChange row = new MetadataChange();
            row.id = UUID.randomUUID();
            row.modelId = modelId;
            row.versionId = versionId;
            row.field = name;
            row.oldValue = old == null ? null : String.valueOf(old);
            row.newValue = String.valueOf(value);
            row.changedBy = user;
            row.changedAt = Instant.now();
            row.comment = comment;
            changed.add(row);
            set.accept(value);
        }
    }
}
