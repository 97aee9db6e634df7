package io.modelgate.registrysync.persistence;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.modelgate.registrysync.domain.DiscoveredImage;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;

/** Stored announcements, looked up by their identity (connection, registry, repository, tag, digest). */
@ApplicationScoped
public class DiscoveredImageRepository implements PanacheRepositoryBase<DiscoveredImage, UUID> {

    public Optional<DiscoveredImage> findIdentical(String connectionId, String registry, String repository, String tag,
            String digest) {
        return find("connectionId = ?1 and registry = ?2 and repository = ?3 and coalesce(tag, '') = coalesce(?4, '')"
                + " and digest = ?5", connectionId, registry, repository, tag, digest)
                .firstResultOptional();
    }

    /**
     * Inserts unless the same image (connection, registry, repository, tag, digest) is stored already; true when
     * inserted. A concurrent identical insert waits for the first to commit and then inserts nothing, so two identical
     * announcements at once yield one row and one event instead of a unique violation.
     */
    public boolean insertIfNew(DiscoveredImage image) {
        return getEntityManager().createNativeQuery("insert into discovered_image (id, connection_id, registry,"
                + " repository, tag, digest, reference, media_type, discovered_by, discovered_at, discovered_user,"
                + " event_id, rule_id, platform) values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)"
                + " on conflict do nothing")
                .setParameter(1, image.id)
                .setParameter(2, image.connectionId)
                .setParameter(3, image.registry)
                .setParameter(4, image.repository)
                .setParameter(5, image.tag)
                .setParameter(6, image.digest)
                .setParameter(7, image.reference)
                .setParameter(8, image.mediaType)
                .setParameter(9, image.discoveredBy.name())
                .setParameter(10, image.discoveredAt)
                .setParameter(11, image.discoveredUser)
                .setParameter(12, image.eventId)
                .setParameter(13, image.ruleId)
                .setParameter(14, image.platform)
                .executeUpdate() == 1;
    }

    /**
     * Makes the stored announcement of this image (same identity) describe a new announcement of it: a tag that moved
     * back to a digest announced before. True when a row was updated.
     */
    public boolean reannounce(DiscoveredImage image) {
        return getEntityManager().createNativeQuery("update discovered_image set reference = ?1, media_type = ?2,"
                + " discovered_by = ?3, discovered_at = ?4, discovered_user = ?5, event_id = ?6, rule_id = ?7,"
                + " platform = ?8 where connection_id = ?9 and registry = ?10 and repository = ?11"
                + " and coalesce(tag, '') = coalesce(?12, '') and digest = ?13")
                .setParameter(1, image.reference)
                .setParameter(2, image.mediaType)
                .setParameter(3, image.discoveredBy.name())
                .setParameter(4, image.discoveredAt)
                .setParameter(5, image.discoveredUser)
                .setParameter(6, image.eventId)
                .setParameter(7, image.ruleId)
                .setParameter(8, image.platform)
                .setParameter(9, image.connectionId)
                .setParameter(10, image.registry)
                .setParameter(11, image.repository)
                .setParameter(12, image.tag)
                .setParameter(13, image.digest)
                .executeUpdate() == 1;
    }

    public List<DiscoveredImage> findByDigest(String digest) {
        return list("digest", Sort.by("discoveredAt").descending(), digest);
    }
}
