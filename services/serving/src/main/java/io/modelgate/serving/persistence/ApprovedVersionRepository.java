package io.modelgate.serving.persistence;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.modelgate.serving.domain.ApprovedVersion;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;

/** Approved (and revoked) model versions by version id. */
@ApplicationScoped
public class ApprovedVersionRepository implements PanacheRepositoryBase<ApprovedVersion, String> {

    /** The version of a digest, preferring a live approval over a revoked one, then the newest. */
    public Optional<ApprovedVersion> byDigest(String digest) {
        return find("digest = ?1 order by case when revokedAt is null then 0 else 1 end, approvedAt desc", digest)
                .firstResultOptional();
    }
}
