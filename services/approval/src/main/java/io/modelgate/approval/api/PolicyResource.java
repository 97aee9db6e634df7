package io.modelgate.approval.api;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
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

import io.modelgate.approval.domain.ApprovalPolicy;
import io.modelgate.approval.domain.PolicyAdmin;
import io.modelgate.approval.domain.PolicyOutcome;
import io.modelgate.approval.domain.PolicyRule;
import io.modelgate.approval.domain.RescanFailureAction;
import io.modelgate.approval.persistence.ApprovalPolicyRepository;
import io.modelgate.platform.security.Roles;
import io.quarkus.security.identity.SecurityIdentity;

/** Approval policies: ordered rules, first match wins, then the default outcome; one policy is active at a time. */
@Path("/api/v1/policies")
@Tag(name = "Policies")
public class PolicyResource {

    /** A policy as an administrator writes it. */
    public record PolicyRequest(@NotBlank @Size(max = 128) String name, @Size(max = 4000) String description,
            @NotNull @Size(max = 100) List<PolicyRule> rules, @NotNull PolicyOutcome defaultOutcome,
            RescanFailureAction onRescanFailure) {

        PolicyAdmin.PolicySpec spec() {
            return new PolicyAdmin.PolicySpec(name.trim(), description, rules, defaultOutcome, onRescanFailure);
        }
    }

    /** A stored policy. */
    public record PolicyView(UUID id, String name, String description, boolean active, List<PolicyRule> rules,
            PolicyOutcome defaultOutcome, RescanFailureAction onRescanFailure, String createdBy, Instant createdAt,
            String updatedBy, Instant updatedAt) {

        static PolicyView of(ApprovalPolicy p) {
            return new PolicyView(p.id, p.name, p.description, p.active, p.rules, p.defaultOutcome,
                    p.onRescanFailure, p.createdBy, p.createdAt, p.updatedBy, p.updatedAt);
        }
    }

    private final PolicyAdmin admin;
    private final ApprovalPolicyRepository policies;
    private final SecurityIdentity identity;

    public PolicyResource(PolicyAdmin admin, ApprovalPolicyRepository policies, SecurityIdentity identity) {
        this.admin = admin;
        this.policies = policies;
        this.identity = identity;
    }

    @GET
    @RolesAllowed(Roles.VIEWER)
    @Operation(summary = "All policies by name", description = "When none is active the built-in policy decides:"
            + " PASS needs one approval from modelgate-approver, anything else is rejected.")
    public List<PolicyView> list() {
        return policies.listByName().stream().map(PolicyView::of).toList();
    }

    @GET
    @Path("/{id}")
    @RolesAllowed(Roles.VIEWER)
    @Operation(summary = "A policy")
    public PolicyView get(@PathParam("id") UUID id) {
        return PolicyView.of(admin.find(id));
    }

    @POST
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Create a policy", description = "400 naming every problem, e.g. an AUTO_APPROVE rule that"
            + " could match an ERROR verdict; 409 when the name is taken. activate=true makes it the active policy.")
    public Response create(@Valid @NotNull PolicyRequest request,
            @QueryParam("activate") @DefaultValue("false") boolean activate) {
        ApprovalPolicy policy = admin.create(request.spec(), activate, user());
        return Response.created(URI.create("/api/v1/policies/" + policy.id)).entity(PolicyView.of(policy)).build();
    }

    @PUT
    @Path("/{id}")
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Replace a policy", description = "Versions already decided stay as they are; pending ones"
            + " can be re-evaluated.")
    public PolicyView update(@PathParam("id") UUID id, @Valid @NotNull PolicyRequest request) {
        return PolicyView.of(admin.update(id, request.spec(), user()));
    }

    @POST
    @Path("/{id}/activation")
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Make this the active policy")
    public PolicyView activate(@PathParam("id") UUID id) {
        return PolicyView.of(admin.activate(id, user()));
    }

    @DELETE
    @Path("/{id}")
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Delete an inactive policy", description = "409 for the active policy.")
    public Response delete(@PathParam("id") UUID id) {
        admin.delete(id, user());
        return Response.noContent().build();
    }

    private String user() {
        return identity.getPrincipal().getName();
    }
}
