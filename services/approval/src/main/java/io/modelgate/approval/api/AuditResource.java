package io.modelgate.approval.api;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.modelgate.approval.domain.AuditAction;
import io.modelgate.approval.domain.AuditEntry;
import io.modelgate.approval.domain.VersionState;
import io.modelgate.approval.persistence.AuditEntryRepository;
import io.modelgate.approval.persistence.AuditEntryRepository.AuditFilter;
import io.modelgate.platform.problem.ProblemException;
import io.modelgate.platform.security.Roles;
import io.quarkus.hibernate.orm.panache.PanacheQuery;

/** The append-only audit trail of every state change, decision, edit and policy change. */
@Path("/api/v1/audit")
@Tag(name = "Audit")
public class AuditResource {

    /** One audit entry. */
    public record AuditView(UUID id, long seq, Instant at, String actor, AuditAction action, UUID modelId,
            UUID versionId, UUID policyId, VersionState fromState, VersionState toState, String reason) {

        static AuditView of(AuditEntry e) {
            return new AuditView(e.id, e.seq, e.at, e.actor, e.action, e.modelId, e.versionId, e.policyId,
                    e.fromState, e.toState, e.reason);
        }
    }

    private final AuditEntryRepository entries;
    private final Paging paging;

    public AuditResource(AuditEntryRepository entries, Paging paging) {
        this.entries = entries;
        this.paging = paging;
    }

    @GET
    @RolesAllowed(Roles.VIEWER)
    @Operation(summary = "Query the audit trail, oldest first", description = "Filters: modelId, versionId, policyId,"
            + " actor (a user name, scanner, or policy:<policy>/<rule>), action, since and until (ISO-8601 instants,"
            + " until exclusive).")
    public Page<AuditView> query(@QueryParam("modelId") UUID modelId, @QueryParam("versionId") UUID versionId,
            @QueryParam("policyId") UUID policyId, @QueryParam("actor") String actor,
            @QueryParam("action") String action, @QueryParam("since") String since,
            @QueryParam("until") String until, @QueryParam("page") @DefaultValue("0") int page,
            @QueryParam("size") @DefaultValue("50") int size) {
        paging.check(page, size);
        AuditFilter filter = new AuditFilter(modelId, versionId, policyId, VersionResource.blankToNull(actor),
                parseAction(action), instant("since", since), instant("until", until));
        PanacheQuery<AuditEntry> query = entries.search(filter);
        List<AuditView> items = query.page(page, size).list().stream().map(AuditView::of).toList();
        return new Page<>(items, query.count(), page, size);
    }

    private static AuditAction parseAction(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return AuditAction.valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest("action must be one of " + List.of(AuditAction.values()) + ": " + value);
        }
    }

    private static Instant instant(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(value.trim());
        } catch (DateTimeParseException e) {
            throw ProblemException.badRequest(name + " must be an ISO-8601 instant such as 2026-11-25T10:00:00Z: "
                    + value);
        }
    }
}
