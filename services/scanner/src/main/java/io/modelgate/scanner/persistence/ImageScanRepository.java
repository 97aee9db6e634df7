package io.modelgate.scanner.persistence;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.modelgate.scanner.domain.ImageScan;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;

/** Scans by digest, and the workers' queue. */
@ApplicationScoped
public class ImageScanRepository implements PanacheRepositoryBase<ImageScan, UUID> {

    public Optional<ImageScan> findByDigest(String digest) {
        return find("digest", digest).firstResultOptional();
    }

    /**
     * Locks the oldest scan waiting for a worker: queued, or running since before {@code staleBefore} (its worker
     * died). {@code skip locked}, so concurrent workers, in this instance or another, never claim the same scan.
     */
    public Optional<ImageScan> lockNextQueued(Instant staleBefore) {
        return getEntityManager()
                .createNativeQuery("select * from image_scan where status = 'QUEUED'"
                        + " or (status = 'RUNNING' and started_at < :stale)"
                        + " order by requested_at limit 1 for update skip locked", ImageScan.class)
                .setParameter("stale", staleBefore)
                .getResultStream()
                .findFirst()
                .map(ImageScan.class::cast);
    }

    /**
     * Queues a rescan of every approved digest whose result was computed against another database than
     * {@code dbVersion}; idempotent, so instances checking the database at the same time queue each digest once.
     */
    public int queueApprovedRescans(String dbVersion) {
        return getEntityManager()
                .createNativeQuery("update image_scan set status = 'QUEUED', rescan = true where status = 'DONE'"
                        + " and (db_version is null or db_version <> :db)"
                        + " and digest in (select digest from approved_model)")
                .setParameter("db", dbVersion)
                .executeUpdate();
    }
}
