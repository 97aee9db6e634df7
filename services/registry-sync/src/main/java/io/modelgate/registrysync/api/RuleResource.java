package io.modelgate.registrysync.api;

import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.modelgate.platform.problem.ProblemException;
import io.modelgate.platform.security.Roles;
import io.modelgate.registrysync.client.RegistryException;
import io.modelgate.registrysync.domain.CompiledRule;
import io.modelgate.registrysync.domain.RegistryConnection;
import io.modelgate.registrysync.domain.RepositoryRule;
import io.modelgate.registrysync.domain.ResolvedImage;
import io.modelgate.registrysync.domain.Rules;
import io.modelgate.registrysync.domain.SyncEngine;
import io.modelgate.registrysync.persistence.RuleRepository;

/** Repository rules of a connection, and a dry run of what they would sync now. */
@Path("/api/v1/connections/{connectionId}/rules")
@Tag(name = "Repository rules")
public class RuleResource {

    /** A rule as an administrator writes it. */
    public record RuleRequest(@NotBlank @Size(max = 255) String name,
            @NotNull RepositoryRule.RepositoryMatch repositoryMatch, @NotBlank @Size(max = 1024) String repository,
            RepositoryRule.TagFilter tagFilter, @Size(max = 1024) String tagValue,
            @Size(max = 50) List<@NotBlank @Size(max = 1024) String> excludes,
            @Size(max = 50) Map<@NotBlank @Size(max = 255) String, @NotNull @Size(max = 1024) String> requiredLabels,
            @Size(max = 20) List<@NotBlank @Size(max = 64) String> platforms, Boolean enabled) {

        Rules.Definition definition() {
            return new Rules.Definition(name, repositoryMatch, repository, tagFilter, tagValue, excludes,
                    requiredLabels, platforms, enabled == null || enabled);
        }
    }

    /** A stored rule. */
    public record RuleView(UUID id, UUID connectionId, String name, RepositoryRule.RepositoryMatch repositoryMatch,
            String repository, RepositoryRule.TagFilter tagFilter, String tagValue, List<String> excludes,
            Map<String, String> requiredLabels, List<String> platforms, boolean enabled, Instant createdAt,
            Instant updatedAt) {

        static RuleView of(RepositoryRule r) {
            return new RuleView(r.id, r.connectionId, r.name, r.repositoryMatch, r.repository, r.tagFilter,
                    r.tagValue, r.excludes, r.requiredLabels, r.platforms, r.enabled, r.createdAt, r.updatedAt);
        }
    }

    /** One image a preview found. */
    public record PreviewImage(String digest, String platform, String mediaType, long sizeBytes,
            Map<String, String> annotations) {
        static PreviewImage of(ResolvedImage i) {
            return new PreviewImage(i.digest(), i.platform() == null ? null : i.platform().value(), i.mediaType(),
                    i.sizeBytes(), i.annotations());
        }
    }

    /**
     * One admitted tag: its digest, and whether a sync would announce it ({@code NEW}), pass it as unchanged since
     * the last sync ({@code UNCHANGED}), skip it ({@code SKIPPED}, with reasons) or fail on it ({@code ERROR}).
     */
    public record PreviewEntry(String repository, String tag, String digest, String outcome, String rule,
            List<PreviewImage> images, List<String> reasons) {
    }

    /** A dry run's result. */
    public record Preview(List<PreviewEntry> entries, List<String> messages) {
    }

    private final Rules rules;
    private final RuleRepository repository;
    private final SyncEngine engine;

    public RuleResource(Rules rules, RuleRepository repository, SyncEngine engine) {
        this.rules = rules;
        this.repository = repository;
        this.engine = engine;
    }

    @POST
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Add a rule", description = "400 naming each problem (bad regular expression, bad SemVer"
            + " range, bad platform).")
    public Response create(@PathParam("connectionId") UUID connectionId, @Valid @NotNull RuleRequest request) {
        RepositoryRule rule = rules.create(connectionId, request.definition());
        return Response.created(URI.create("/api/v1/connections/" + connectionId + "/rules/" + rule.id))
                .entity(RuleView.of(rule))
                .build();
    }

    @GET
    @RolesAllowed(Roles.VIEWER)
    @Operation(summary = "Rules of a connection, in the order they are tried")
    public List<RuleView> list(@PathParam("connectionId") UUID connectionId) {
        rules.requireConnection(connectionId);
        return repository.ofConnection(connectionId).stream().map(RuleView::of).toList();
    }

    @GET
    @Path("/{ruleId}")
    @RolesAllowed(Roles.VIEWER)
    @Operation(summary = "Get a rule")
    public RuleView get(@PathParam("connectionId") UUID connectionId, @PathParam("ruleId") UUID ruleId) {
        return RuleView.of(rules.get(connectionId, ruleId));
    }

    @PUT
    @Path("/{ruleId}")
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Replace a rule")
    public RuleView update(@PathParam("connectionId") UUID connectionId, @PathParam("ruleId") UUID ruleId,
            @Valid @NotNull RuleRequest request) {
        return RuleView.of(rules.update(connectionId, ruleId, request.definition()));
    }

    @DELETE
    @Path("/{ruleId}")
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Delete a rule")
    public Response delete(@PathParam("connectionId") UUID connectionId, @PathParam("ruleId") UUID ruleId) {
        rules.delete(connectionId, ruleId);
        return Response.noContent().build();
    }

    @POST
    @Path("/preview")
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Dry run: what the rules would sync now", description = "Lists the repositories and tags"
            + " admitted, HEADs each for its digest and reads the metadata of changed ones, as a sync would; stores"
            + " and emits nothing. With a body, previews that rule instead of the connection's enabled rules.")
    public Preview preview(@PathParam("connectionId") UUID connectionId, @Valid RuleRequest draft,
            @QueryParam("limit") @DefaultValue("200") @Min(1) @Max(2000) int limit) {
        RegistryConnection connection = rules.requireConnection(connectionId);
        List<CompiledRule> compiled = draft != null
                ? List.of(rules.draft(connectionId, draft.definition()))
                : repository.enabledOf(connectionId).stream().map(CompiledRule::compile).toList();
        List<String> messages = new ArrayList<>();
        List<SyncEngine.Evaluation> evaluations;
        try {
            evaluations = engine.preview(connection, compiled, limit, messages);
        } catch (RegistryException e) {
            // The registry, not the request, failed: a gateway error naming it, not an unexpected 500.
            throw new ProblemException(502, "Bad Gateway", "The registry could not be listed: " + e.getMessage());
        }
        List<PreviewEntry> entries = evaluations.stream().map(e -> {
            String outcome = e.error() != null
                    ? "ERROR"
                    : e.unchanged() ? "UNCHANGED" : e.images().isEmpty() ? "SKIPPED" : "NEW";
            List<String> reasons = new ArrayList<>(e.skipped());
            if (e.error() != null) {
                reasons.add(e.error());
            }
            return new PreviewEntry(e.candidate().repository(), e.candidate().tag(), e.digest(), outcome,
                    e.candidate().rule().name(), e.images().stream().map(PreviewImage::of).toList(), reasons);
        }).toList();
        return new Preview(entries, messages);
    }
}
