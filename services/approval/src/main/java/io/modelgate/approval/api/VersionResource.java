package io.modelgate.approval.api;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.modelgate.approval.domain.ApprovalWorkflow;
import io.modelgate.approval.domain.Curation;
import io.modelgate.approval.domain.Decision;
import io.modelgate.approval.domain.DecisionKind;
import io.modelgate.approval.domain.ModelFacts;
import io.modelgate.approval.domain.ModelVersion;
import io.modelgate.approval.domain.VersionState;
import io.modelgate.approval.persistence.AuditEntryRepository;
import io.modelgate.approval.persistence.DecisionRepository;
import io.modelgate.approval.persistence.LibraryQueries;
import io.modelgate.approval.persistence.LibraryQueries.VersionFilter;
import io.modelgate.approval.persistence.LibraryQueries.VersionSort;
import io.modelgate.approval.persistence.MetadataChangeRepository;
import io.modelgate.approval.persistence.ModelRepository;
import io.modelgate.approval.persistence.ModelVersionRepository;
import io.modelgate.events.FunctionType;
import io.modelgate.platform.problem.ProblemException;
import io.modelgate.platform.security.Roles;
import io.quarkus.security.identity.SecurityIdentity;

/** Model versions: browse and search, decide, revoke, re-evaluate, and curate their metadata. */
@Path("/api/v1/versions")
@Tag(name = "Versions")
public class VersionResource {

    /** An approver's decision on a pending version. */
    public record DecisionRequest(@NotNull DecisionKind decision, @Size(max = 4000) String comment) {
    }

    /** A recorded decision. */
    public record DecisionView(UUID id, UUID versionId, int reviewRound, DecisionKind decision, String decidedBy,
            String comment, Instant decidedAt) {

        static DecisionView of(Decision d) {
            return new DecisionView(d.id, d.versionId, d.reviewRound, d.decision, d.decidedBy, d.comment, d.decidedAt);
        }
    }

    /** Why an approval is withdrawn. */
    public record RevocationRequest(@NotBlank @Size(max = 4000) String reason) {
    }

    /** New metadata values; an absent field stays as it is. */
    public record MetadataRequest(@Min(1) Long parameterCount, @Min(1) Integer contextLength,
            @Size(min = 1, max = 64) String dtype, @Size(min = 1, max = 64) String quantization,
            @Size(min = 1, max = 255) String license,
            @Size(max = 50) Map<@NotBlank String, @NotNull String> performance,
            @Min(0) Integer gpuCount, @Size(min = 1, max = 128) String gpuType,
            @Size(min = 1, max = 32) String gpuMemory, @Size(min = 1, max = 32) String cpu,
            @Size(min = 1, max = 32) String memory, @Size(max = 4000) String comment) {
    }

    private final LibraryQueries queries;
    private final ModelVersionRepository versions;
    private final ModelRepository models;
    private final DecisionRepository decisions;
    private final MetadataChangeRepository changes;
    private final AuditEntryRepository auditEntries;
    private final ApprovalWorkflow workflow;
    private final Curation curation;
    private final Paging paging;
    private final SecurityIdentity identity;

    public VersionResource(LibraryQueries queries, ModelVersionRepository versions, ModelRepository models,
            DecisionRepository decisions, MetadataChangeRepository changes, AuditEntryRepository auditEntries,
            ApprovalWorkflow workflow, Curation curation, Paging paging, SecurityIdentity identity) {
        this.queries = queries;
        this.versions = versions;
        this.models = models;
        this.decisions = decisions;
        this.changes = changes;
        this.auditEntries = auditEntries;
        this.workflow = workflow;
        this.curation = curation;
        this.paging = paging;
        this.identity = identity;
    }

    @GET
    @RolesAllowed(Roles.VIEWER)
    @Operation(summary = "Browse and search versions", description = "Filters: functionType (chat, completion,"
            + " embedding, rerank, ocr, image-embedding), state, license (case-insensitive), registry, digest, q (part"
            + " of the model name or version), flagged. sort: discovered (default), updated, name, version, state, size,"
            + " parameters; order: asc or desc (default).")
    public Page<VersionView> browse(@QueryParam("functionType") String functionType,
            @QueryParam("state") String state, @QueryParam("license") String license,
            @QueryParam("registry") String registry, @QueryParam("digest") String digest,
            @QueryParam("q") String text,
            @QueryParam("flagged") Boolean flagged, @QueryParam("sort") @DefaultValue("discovered") String sort,
            @QueryParam("order") @DefaultValue("desc") String order, @QueryParam("page") @DefaultValue("0") int page,
            @QueryParam("size") @DefaultValue("50") int size) {
        paging.check(page, size);
        VersionSort sortBy = parseSort(sort);
        if (!order.equals("asc") && !order.equals("desc")) {
            throw ProblemException.badRequest("order must be asc or desc: " + order);
        }
        VersionFilter filter = new VersionFilter(parseFunctionType(functionType), parseState(state),
                blankToNull(license),
                blankToNull(registry), blankToNull(digest), blankToNull(text), flagged);
        LibraryQueries.Result<LibraryQueries.Row> result = queries.versions(filter, sortBy, order.equals("desc"), page,
                size);
        return new Page<>(result.items().stream().map(r -> VersionView.summary(r.version(), r.model())).toList(),
                result.total(), page, size);
    }

    @GET
    @Path("/{id}")
    @RolesAllowed(Roles.VIEWER)
    @Operation(summary = "A version with its metadata, latest scan, approval state, image annotations and requesters")
    public VersionView get(@PathParam("id") UUID id) {
        ModelVersion version = find(id);
        return VersionView.detail(version, models.findById(version.modelId), auditEntries.requesters(id));
    }

    @GET
    @Path("/{id}/decisions")
    @RolesAllowed(Roles.VIEWER)
    @Operation(summary = "Approvers' decisions on a version, oldest first")
    public List<DecisionView> decisions(@PathParam("id") UUID id) {
        find(id);
        return decisions.forVersion(id).stream().map(DecisionView::of).toList();
    }

    @POST
    @Path("/{id}/decisions")
    @RolesAllowed(Roles.APPROVER)
    @Operation(summary = "Approve or reject a pending version", description = "Enough distinct approvals (as the"
            + " policy rule requires) approve it and emit ModelApproved; one rejection rejects it. 409 when the"
            + " version is not pending or the caller already decided; 403 when the caller requested the version or"
            + " lacks the role the rule requires.")
    public DecisionView decide(@PathParam("id") UUID id, @Valid @NotNull DecisionRequest request) {
        return DecisionView.of(workflow.decide(id, request.decision(), blankToNull(request.comment()), user(),
                identity::hasRole));
    }

    @POST
    @Path("/{id}/revocation")
    @RolesAllowed({Roles.APPROVER, Roles.ADMIN})
    @Operation(summary = "Revoke an approved version", description = "Emits ModelRevoked; 409 unless APPROVED.")
    public VersionView revoke(@PathParam("id") UUID id, @Valid @NotNull RevocationRequest request) {
        ModelVersion version = workflow.revoke(id, request.reason().trim(), user());
        return VersionView.summary(version, models.findById(version.modelId));
    }

    @POST
    @Path("/{id}/re-evaluation")
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Have the active policy decide again", description = "For a pending version or one rejected"
            + " by a policy (409 otherwise). The caller becomes a requester and may not approve the version.")
    public VersionView reEvaluate(@PathParam("id") UUID id) {
        ModelVersion version = workflow.reEvaluate(id, user());
        return VersionView.summary(version, models.findById(version.modelId));
    }

    @PATCH
    @Path("/{id}/metadata")
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Edit a version's metadata", description = "Records each changed field in the history and"
            + " has the policy decide again; the editor may not approve the version. 409 for a version already"
            + " approved, revoked or rejected by a person.")
    public VersionView editMetadata(@PathParam("id") UUID id, @Valid @NotNull MetadataRequest request) {
        ModelVersion version = curation.editVersion(id, new Curation.VersionPatch(request.parameterCount(),
                request.contextLength(), request.dtype(), request.quantization(), request.license(),
                request.performance(), request.gpuCount(), request.gpuType(), request.gpuMemory(), request.cpu(),
                request.memory()), user(), blankToNull(request.comment()));
        return VersionView.detail(version, models.findById(version.modelId), auditEntries.requesters(id));
    }

    @GET
    @Path("/{id}/metadata/history")
    @RolesAllowed(Roles.VIEWER)
    @Operation(summary = "Changes of a version's metadata, oldest first")
    public List<ChangeView> history(@PathParam("id") UUID id) {
        find(id);
        return changes.forVersion(id).stream().map(ChangeView::of).toList();
    }

    private ModelVersion find(UUID id) {
        return versions.findByIdOptional(id).orElseThrow(() -> ProblemException.notFound("No model version " + id));
    }

    private String user() {
        return identity.getPrincipal().getName();
    }

    static FunctionType parseFunctionType(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return ModelFacts.functionType(value);
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest("functionType must be one of chat, completion, embedding, rerank, ocr,"
                    + " image-embedding: " + value);
        }
    }

    private static VersionState parseState(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return VersionState.valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest("state must be one of " + List.of(VersionState.values()) + ": " + value);
        }
    }

    private static VersionSort parseSort(String value) {
        try {
            return VersionSort.valueOf(value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest("sort must be one of discovered, updated, name, version, state, size,"
                    + " parameters: " + value);
        }
    }

    static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
