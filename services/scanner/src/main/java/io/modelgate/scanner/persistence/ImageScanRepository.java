package io.modelgate.scanner.persistence;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import io.modelgate.events.ImageDescriptor;
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
     * Replaces the stored image of {@code digest}, touching no other column (a whole-row update could undo a worker's
     * claim or result committed since the row was read).
     */
    public void replaceDescriptor(String digest, ImageDescriptor image) {
        String json = new JsonConverters.Image().convertToDatabaseColumn(image);
        getEntityManager()
                .createNativeQuery("update image_scan set image = cast(:image as jsonb) where digest = :digest")
                .setParameter("image", json)
                .setParameter("digest", digest)
                .executeUpdate();
    }

    /**
     * Records that {@code digest} was discovered in {@code registry/repository}; once per place, however often it is
     * discovered there.
     */
    public void recordRepository(String digest, String registry, String repository) {
        getEntityManager()
                .createNativeQuery("insert into image_scan_repository (digest, registry, repository)"
                        + " values (:digest, :registry, :repository) on conflict do nothing")
                .setParameter("digest", digest)
                .setParameter("registry", registry)
                .setParameter("repository", repository)
                .executeUpdate();
    }

    /**
     * Every repository {@code digest} was discovered in, for the exceptions scoped to repositories; the scan's own
     * repository always among them.
     */
    @SuppressWarnings("unchecked")
    public List<String> repositoriesOf(String digest) {
        return getEntityManager()
                .createNativeQuery("select repository from image_scan_repository where digest = :digest"
                        + " union select repository from image_scan where digest = :digest order by repository")
                .setParameter("digest", digest)
                .getResultList();
    }

    /** The scan with {@code id}, locked ({@code for update}) until the transaction ends. */
    public Optional<ImageScan> lockById(UUID id) {
        return Optional.ofNullable(getEntityManager().find(ImageScan.class, id, LockModeType.PESSIMISTIC_WRITE));
    }

    /**
     * Queues a rescan of every approved digest whose result was computed against a database older than one updated
     * at {@code dbUpdatedAt} (or an unknown one). Only older: an instance whose Trivy has an older database build
     * never queues the results of a newer one, so instances with different builds do not requeue each other forever.
     * Idempotent, so instances checking the database at the same time queue each digest once.
     */
    public int queueApprovedRescans(Instant dbUpdatedAt) {
        return getEntityManager()
                .createNativeQuery("update image_scan set status = 'QUEUED', rescan = true where status = 'DONE'"
                        + " and (db_updated_at is null or db_updated_at < :updated)"
                        + " and digest in (select digest from approved_model)")
                .setParameter("updated", dbUpdatedAt)
                .executeUpdate();
    }
}
