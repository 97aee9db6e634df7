package io.modelgate.modelsync.persistence;

import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.modelgate.modelsync.domain.SyncResult;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;

/** Per-target, per-model results of sync passes. */
@ApplicationScoped
public class SyncResultRepository implements PanacheRepositoryBase<SyncResult, UUID> {

    public List<SyncResult> byRun(UUID runId) {
        return list("runId", Sort.by("targetName").and("aidbName"), runId);
    }
}
