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

    public List<DiscoveredImage> findByDigest(String digest) {
        return list("digest", Sort.by("discoveredAt").descending(), digest);
    }
}
