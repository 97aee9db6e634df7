package io.modelgate.scanner.api;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.transaction.Transactional;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
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

import io.modelgate.events.ImageDescriptor;
import io.modelgate.platform.problem.ProblemException;
import io.modelgate.platform.security.Roles;
import io.modelgate.scanner.domain.PolicyException;
import io.modelgate.scanner.domain.ScanPolicy;
import io.modelgate.scanner.domain.Severity;
import io.modelgate.scanner.persistence.PolicyExceptionRepository;
import io.modelgate.scanner.persistence.ScanPolicyRepository;
import io.quarkus.security.identity.SecurityIdentity;

/**
 * The scan policy and its CVE exceptions. A change applies to scans judged from then on; a rescan judges a stored
 * result again at once.
 */
@Path("/api/v1/policy")
@Tag(name = "Scan policy")
public class PolicyResource {

    /** The policy as read and written. */
    public record PolicyBody(@NotBlank String maxSeverity, boolean ignoreUnfixed,
            @DecimalMin("0.0") @DecimalMax("10.0") BigDecimal cvssThreshold, boolean secretsFail) {
    }

    /** The policy with who changed it last, and every exception. */
    public record PolicyView(String maxSeverity, boolean ignoreUnfixed, BigDecimal cvssThreshold, boolean secretsFail,
            Instant updatedAt, String updatedBy, List<ExceptionView> exceptions) {
    }

    /** A new exception: one CVE, scoped to either a repository pattern or a digest. */
    public record ExceptionBody(@NotBlank @Size(max = 64) String cveId, @Size(max = 255) String repositoryPattern,
            @Pattern(regexp = ImageDescriptor.DIGEST_REGEX) String digest, @NotBlank @Size(max = 2000) String reason,
            @NotBlank @Size(max = 255) String owner, @NotNull Instant expiresAt) {
    }

    /** An exception; {@code active} is false once it has expired. */
    public record ExceptionView(UUID id, String cveId, String repositoryPattern, String digest, String reason,
            String owner, Instant expiresAt, boolean active, Instant createdAt, String createdBy) {

        static ExceptionView of(PolicyException e, Instant now) {
            return new ExceptionView(e.id, e.cveId, e.repositoryPattern, e.digest, e.reason, e.owner, e.expiresAt,
                    e.activeAt(now), e.createdAt, e.createdBy);
        }
    }

    private final ScanPolicyRepository policies;
    private final PolicyExceptionRepository exceptions;
    private final SecurityIdentity caller;

    public PolicyResource(ScanPolicyRepository policies, PolicyExceptionRepository exceptions,
            SecurityIdentity caller) {
        this.policies = policies;
        this.exceptions = exceptions;
        this.caller = caller;
    }

    @GET
    @RolesAllowed(Roles.VIEWER)
    @Operation(summary = "The scan policy and its CVE exceptions (expired ones included, marked inactive)")
    public PolicyView get() {
        return view(policies.current());
    }

    @PUT
    @RolesAllowed(Roles.ADMIN)
    @Transactional
    @Operation(summary = "Change the scan policy")
    public PolicyView update(@Valid @NotNull PolicyBody body) {
        ScanPolicy policy = policies.current();
        policy.maxSeverity = Severity.parse(body.maxSeverity())
                .orElseThrow(() -> ProblemException.badRequest("Unknown severity '" + body.maxSeverity()
                        + "'; expected one of " + List.of(Severity.values())));
        policy.ignoreUnfixed = body.ignoreUnfixed();
        policy.cvssThreshold = body.cvssThreshold();
        policy.secretsFail = body.secretsFail();
        policy.updatedAt = Instant.now();
        policy.updatedBy = caller.getPrincipal().getName();
        return view(policy);
    }

    @POST
    @Path("/exceptions")
    @RolesAllowed(Roles.ADMIN)
    @Transactional
    @Operation(summary = "Accept a CVE for a repository pattern or a digest until an expiry, with reason and owner")
    public Response addException(@Valid @NotNull ExceptionBody body) {
        boolean byPattern = body.repositoryPattern() != null && !body.repositoryPattern().isBlank();
        boolean byDigest = body.digest() != null;
        if (byPattern == byDigest) {
            throw ProblemException.badRequest("An exception is scoped to exactly one of repositoryPattern or digest");
        }
        Instant now = Instant.now();
        if (!body.expiresAt().isAfter(now)) {
            throw ProblemException.badRequest("expiresAt " + body.expiresAt() + " is not in the future");
        }
        PolicyException exception = new PolicyException();
        exception.id = UUID.randomUUID();
        exception.cveId = body.cveId().strip();
        exception.repositoryPattern = byPattern ? body.repositoryPattern().strip() : null;
        exception.digest = body.digest();
        exception.reason = body.reason();
        exception.owner = body.owner();
        exception.expiresAt = body.expiresAt();
        exception.createdAt = now;
        exception.createdBy = caller.getPrincipal().getName();
        exceptions.persist(exception);
        return Response.status(201).entity(ExceptionView.of(exception, now)).build();
    }

    @DELETE
    @Path("/exceptions/{id}")
    @RolesAllowed(Roles.ADMIN)
    @Transactional
    @Operation(summary = "Withdraw a CVE exception")
    public void deleteException(@PathParam("id") UUID id) {
        if (!exceptions.deleteById(id)) {
            throw ProblemException.notFound("No exception " + id);
        }
    }

    private PolicyView view(ScanPolicy policy) {
        Instant now = Instant.now();
        return new PolicyView(policy.maxSeverity.name(), policy.ignoreUnfixed, policy.cvssThreshold,
                policy.secretsFail, policy.updatedAt, policy.updatedBy,
                exceptions.all().stream().map(e -> ExceptionView.of(e, now)).toList());
    }
}
