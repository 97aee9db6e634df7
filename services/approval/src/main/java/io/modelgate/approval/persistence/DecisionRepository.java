package io.modelgate.approval.persistence;

import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.modelgate.approval.domain.Decision;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;

/** Approvers' decisions, never changed once written. */
@ApplicationScoped
public class DecisionRepository implements PanacheRepositoryBase<Decision, UUID> {

    public List<Decision> forVersion(UUID versionId) {
        return list("versionId = ?1 order by decidedAt, id", versionId);
    }

    public List<Decision> inRound(UUID versionId, int round) {
        return list("versionId = ?1 and reviewRound = ?2 order by decidedAt, id", versionId, round);
    }
}
