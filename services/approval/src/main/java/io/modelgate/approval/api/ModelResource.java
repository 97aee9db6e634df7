package io.modelgate.approval.api;

import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.modelgate.approval.domain.Curation;
import io.modelgate.approval.domain.Model;
import io.modelgate.approval.persistence.LibraryQueries;
import io.modelgate.approval.persistence.MetadataChangeRepository;
import io.modelgate.approval.persistence.ModelRepository;
import io.modelgate.events.FunctionType;
import io.modelgate.platform.problem.ProblemException;
import io.modelgate.platform.security.Roles;
import io.quarkus.security.identity.SecurityIdentity;

/** Models of the library: list, read with their versions, and curate what they are. */
@Path("/api/v1/models")
@Tag(name = "Models")
public class ModelResource {

    /** A model as the API shows it; versions only in the detail view. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ModelView(UUID id, String name, String publisher, String description,
            List<FunctionType> functionTypes, Instant createdAt, Instant updatedAt, List<VersionView> versions) {

        static ModelView of(Model m, List<VersionView> versions) {
            return new ModelView(m.id, m.name, m.publisher, m.description, m.functionTypes(), m.createdAt,
                    m.updatedAt, versions);
        }
    }

    /** New values for a model; an absent field stays as it is. */
    public record ModelRequest(@Size(min = 1, max = 255) String publisher,
            @Size(min = 1, max = 10000) String description,
            @Size(max = 6) List<@NotNull String> functionTypes, @Size(max = 4000) String comment) {
    }

    private final LibraryQueries queries;
    private final ModelRepository models;
    private final MetadataChangeRepository changes;
    private final Curation curation;
    private final Paging paging;
    private final SecurityIdentity identity;

    public ModelResource(LibraryQueries queries, ModelRepository models, MetadataChangeRepository changes,
            Curation curation, Paging paging, SecurityIdentity identity) {
        this.queries = queries;
        this.models = models;
        this.changes = changes;
        this.curation = curation;
        this.paging = paging;
        this.identity = identity;
    }

    @GET
    @RolesAllowed(Roles.VIEWER)
    @Operation(summary = "List models by name", description = "Filters: functionType, q (part of the name or"
            + " description).")
    public Page<ModelView> list(@QueryParam("functionType") String functionType, @QueryParam("q") String text,
            @QueryParam("page") @DefaultValue("0") int page, @QueryParam("size") @DefaultValue("50") int size) {
        paging.check(page, size);
        LibraryQueries.Result<Model> result = queries.models(VersionResource.parseFunctionType(functionType),
                VersionResource.blankToNull(text), page, size);
        return new Page<>(result.items().stream().map(m -> ModelView.of(m, null)).toList(), result.total(), page,
                size);
    }

    @GET
    @Path("/{id}")
    @RolesAllowed(Roles.VIEWER)
    @Operation(summary = "A model with its versions, newest first")
    public ModelView get(@PathParam("id") UUID id) {
        Model model = find(id);
        return ModelView.of(model, queries.versionsOf(id).stream().map(v -> VersionView.summary(v, model)).toList());
    }

    @PATCH
    @Path("/{id}")
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Edit a model's publisher, description or function types", description = "Each changed"
            + " field is kept in the model's history.")
    public ModelView edit(@PathParam("id") UUID id, @Valid @NotNull ModelRequest request) {
        Set<FunctionType> types = null;
        if (request.functionTypes() != null) {
            types = EnumSet.noneOf(FunctionType.class);
            for (String type : request.functionTypes()) {
                FunctionType parsed = VersionResource.parseFunctionType(type);
                if (parsed == null) {
                    throw ProblemException.badRequest("functionTypes must not contain blank values");
                }
                types.add(parsed);
            }
        }
        Model model = curation.editModel(id, new Curation.ModelPatch(request.publisher(), request.description(), types),
                identity.getPrincipal().getName(), VersionResource.blankToNull(request.comment()));
        return ModelView.of(model, null);
    }

    @GET
    @Path("/{id}/history")
    @RolesAllowed(Roles.VIEWER)
    @Operation(summary = "Changes of a model's description, oldest first")
    public List<ChangeView> history(@PathParam("id") UUID id) {
        find(id);
        return changes.forModel(id).stream().map(ChangeView::of).toList();
    }

    private Model find(UUID id) {
        return models.findByIdOptional(id).orElseThrow(() -> ProblemException.notFound("No model " + id));
    }
}
