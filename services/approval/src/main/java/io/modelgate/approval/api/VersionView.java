package io.modelgate.approval.api;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.modelgate.approval.domain.Model;
import io.modelgate.approval.domain.ModelVersion;
import io.modelgate.approval.domain.VersionState;
import io.modelgate.events.FunctionType;
import io.modelgate.events.ModelMetadata;
import io.modelgate.events.ResourceRequirements;
import io.modelgate.events.ScanSummary;

/** A model version as the API shows it; annotations and labels only in the detail view. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record VersionView(UUID id, UUID modelId, String modelName, String version, String digest, String reference,
        String registry, String repository, String tag, long sizeBytes, Instant imageCreatedAt,
        List<FunctionType> functionTypes, ModelMetadata metadata, ResourceRequirements resources, VersionState state,
        String stateActor, Instant stateChangedAt, boolean flagged, String flagReason, String policyRule,
        int requiredApprovals, String requiredRole, int reviewRound, ScanSummary scan, Instant discoveredAt,
        Instant updatedAt, Map<String, String> annotations, Map<String, String> labels, List<String> requesters) {

    static VersionView summary(ModelVersion v, Model m) {
        return of(v, m, null, null, null);
    }

    /** With the image's annotations and labels, and who requested the version (they may not approve it). */
    static VersionView detail(ModelVersion v, Model m, List<String> requesters) {
        return of(v, m, v.annotations, v.labels, requesters);
    }

    private static VersionView of(ModelVersion v, Model m, Map<String, String> annotations,
            Map<String, String> labels, List<String> requesters) {
        return new VersionView(v.id, m.id, m.name, v.version, v.digest, v.reference, v.registry, v.repository, v.tag,
                v.sizeBytes, v.imageCreatedAt, m.functionTypes(), v.metadata(), v.resources(), v.state, v.stateActor,
                v.stateChangedAt, v.flagged, v.flagReason, v.policyRule, v.requiredApprovals, v.requiredRole,
                v.reviewRound, v.scan(), v.discoveredAt, v.updatedAt, annotations, labels, requesters);
    }
}
