package io.modelgate.registrysync.persistence;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.modelgate.registrysync.domain.SyncRun;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Sort;

/** Sync runs. */
@ApplicationScoped
public class SyncRunRepository implements PanacheRepositoryBase<SyncRun, UUID> {

    public List<SyncRun> ofConnection(UUID connectionId, int limit) {
        return find("connectionId", Sort.by("startedAt").descending(), connectionId).page(Page.ofSize(limit)).list();
    }

    public Optional<SyncRun> running(UUID connectionId) {
        return find("connectionId = ?1 and status = ?2", connectionId, SyncRun.Status.RUNNING).firstResultOptional();
    }

    public Optional<SyncRun> latest(UUID connectionId) {
        return find("connectionId", Sort.by("startedAt").descending(), connectionId).firstResultOptional();
    }

    public List<SyncRun> staleRunning(Instant heartbeatBefore) {
        return list("status = ?1 and heartbeatAt < ?2", SyncRun.Status.RUNNING, heartbeatBefore);
    }
}
