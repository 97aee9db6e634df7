package io.modelgate.modelsync.api;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.modelgate.modelsync.domain.CredentialSupport;
import io.modelgate.modelsync.domain.SyncTarget;
import io.modelgate.modelsync.domain.TargetLocation;
import io.modelgate.modelsync.domain.TargetSettings;
import io.modelgate.modelsync.domain.Targets;
import io.modelgate.platform.security.Roles;

/** AIDB target databases: register, change, list and remove them. Passwords go in and never come out. */
@Path("/api/v1/targets")
@Tag(name = "Targets")
public class TargetResource {

    /**
     * A target's settings. On update, an omitted password keeps the stored one (only while host, port, database and
     * username stay the same) and an empty one removes it.
     */
    public record TargetRequest(
            @NotBlank @Size(max = 63) @Pattern(regexp = "[a-z0-9]([a-z0-9-]*[a-z0-9])?", message = "must be lower-case letters, digits and inner dashes") String name,
            @NotBlank @Size(max = 2048) String jdbcUrl,
            @NotBlank @Size(max = 255) String username,
            @Size(max = 1024) String password,
            @NotNull TargetLocation location,
            @NotNull Boolean reachable,
            @NotNull Boolean enabled) {

        TargetSettings settings() {
            return new TargetSettings(name, jdbcUrl, username, password, location, reachable, enabled);
        }
    }

    /** A target as the API shows it: whether a password is stored, never the password. */
    public record TargetView(UUID id, String name, String jdbcUrl, String username, boolean passwordSet,
            TargetLocation location, boolean reachable, boolean enabled, CredentialSupport credentialSupport,
            Instant catalogCheckedAt, Instant createdAt, Instant updatedAt) {

        static TargetView of(SyncTarget target) {
            return new TargetView(target.id, target.name, target.jdbcUrl, target.username,
                    target.passwordCipher != null, target.location, target.reachable, target.enabled,
                    target.credentialSupport, target.catalogCheckedAt, target.createdAt, target.updatedAt);
        }
    }

    private final Targets targets;

    public TargetResource(Targets targets) {
        this.targets = targets;
    }

    @POST
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Register a target database", description = "400 for invalid settings (a URL that is not"
            + " jdbc:postgresql://, credentials or class-loading parameters in the URL); 409 when the name is taken."
            + " The next event or reconcile applies what is served to it.")
    public Response create(@Valid @NotNull TargetRequest request) {
        TargetView view = TargetView.of(targets.create(request.settings()));
        return Response.created(URI.create("/api/v1/targets/" + view.id())).entity(view).build();
    }

    @GET
    @RolesAllowed(Roles.VIEWER)
    @Operation(summary = "Every target, by name")
    public List<TargetView> list() {
        return targets.list().stream().map(TargetView::of).toList();
    }

    @GET
    @Path("/{id}")
    @RolesAllowed(Roles.VIEWER)
    @Operation(summary = "One target")
    public TargetView get(@PathParam("id") UUID id) {
        return TargetView.of(targets.get(id));
    }

    @PUT
    @Path("/{id}")
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Change a target's settings", description = "An omitted password keeps the stored one and"
            + " \"\" removes it; changing the URL's host, port or database, or the username, needs the password"
            + " again (400 otherwise), so a stored password never follows the target to another server.")
    public TargetView update(@PathParam("id") UUID id, @Valid @NotNull TargetRequest request) {
        return TargetView.of(targets.update(id, request.settings()));
    }

    @DELETE
    @Path("/{id}")
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Remove a target", description = "model-sync stops syncing it; the models it registered"
            + " there stay until removed by hand or the target is registered again.")
    public Response delete(@PathParam("id") UUID id) {
        targets.delete(id);
        return Response.noContent().build();
    }
}
