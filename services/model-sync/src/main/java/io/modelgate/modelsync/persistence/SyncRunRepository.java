package io.modelgate.modelsync.persistence;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.modelgate.modelsync.domain.SyncRun;
import io.modelgate.modelsync.domain.SyncTrigger;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;

/** Sync passes, newest first. */
@ApplicationScoped
public class SyncRunRepository implements PanacheRepositoryBase<SyncRun, UUID> {

    public List<SyncRun> newest(SyncTrigger trigger, String serviceId, int limit) {
        StringBuilder query = new StringBuilder("1 = 1");
        Parameters params = new Parameters();
        if (trigger != null) {
            query.append(" and trigger = :trigger");
            params.and("trigger", trigger);
        }
        if (serviceId != null) {
            query.append(" and serviceId = :serviceId");
            params.and("serviceId", serviceId);
        }
        return find(query.toString(), Sort.by("startedAt").descending(), params).page(Page.ofSize(limit)).list();
    }

    /** Drops runs older than {@code cutoff}; their results go with them (on delete cascade). */
    public long deleteStartedBefore(Instant cutoff) {
        return delete("startedAt < ?1", cutoff);
    }
}
