package io.modelgate.approval.persistence;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.modelgate.approval.domain.AuditAction;
import io.modelgate.approval.domain.AuditEntry;
import io.quarkus.hibernate.orm.panache.PanacheQuery;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Parameters;

/** The audit trail: appended to, queried, never changed. */
@ApplicationScoped
public class AuditEntryRepository implements PanacheRepositoryBase<AuditEntry, UUID> {

    /** Everyone who asked for this version's approval: edited its metadata or had it re-evaluated. */
    public List<String> requesters(UUID versionId) {
        return find("select distinct actor from AuditEntry where versionId = ?1 and action in ?2", versionId,
                List.of(AuditAction.METADATA_EDITED, AuditAction.RE_EVALUATION_REQUESTED))
                .project(String.class)
                .list();
    }

    /** Filters of an audit query; a null filter matches everything. */
    public record AuditFilter(UUID modelId, UUID versionId, UUID policyId, String actor, AuditAction action,
            Instant since, Instant until) {
    }

    /** Entries matching the filter in the order they were written. */
    public PanacheQuery<AuditEntry> search(AuditFilter filter) {
        StringBuilder query = new StringBuilder("1 = 1");
        Parameters parameters = new Parameters();
        if (filter.modelId() != null) {
            query.append(" and modelId = :modelId");
            parameters.and("modelId", filter.modelId());
        }
        if (filter.versionId() != null) {
            query.append(" and versionId = :versionId");
            parameters.and("versionId", filter.versionId());
        }
        if (filter.policyId() != null) {
            query.append(" and policyId = :policyId");
            parameters.and("policyId", filter.policyId());
        }
        if (filter.actor() != null) {
            query.append(" and actor = :actor");
            parameters.and("actor", filter.actor());
        }
        if (filter.action() != null) {
            query.append(" and action = :action");
            parameters.and("action", filter.action());
        }
        if (filter.since() != null) {
            query.append(" and at >= :since");
            parameters.and("since", filter.since());
        }
        if (filter.until() != null) {
            query.append(" and at < :until");
            parameters.and("until", filter.until());
        }
        return find(query + " order by seq", parameters);
    }
}
