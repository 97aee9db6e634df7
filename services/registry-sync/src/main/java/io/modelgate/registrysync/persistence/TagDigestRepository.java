package io.modelgate.registrysync.persistence;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.modelgate.registrysync.domain.TagDigest;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;

/** The tag → digest cache. */
@ApplicationScoped
public class TagDigestRepository implements PanacheRepositoryBase<TagDigest, TagDigest.Key> {

    /** Every cached tag of one repository, tag → digest: one query per repository instead of one per tag. */
    public Map<String, String> ofRepository(UUID connectionId, String repository) {
        Map<String, String> result = new HashMap<>();
        list("connectionId = ?1 and repository = ?2", connectionId, repository)
                .forEach(t -> result.put(t.tag, t.digest));
        return result;
    }

    public String digestOf(UUID connectionId, String repository, String tag) {
        TagDigest row = findById(new TagDigest.Key(connectionId, repository, tag));
        return row == null ? null : row.digest;
    }

    /**
     * Records that the tag points to {@code digest}; true when that is news (the tag was unknown or pointed elsewhere).
     * One statement, no read first: the row lock serialises a poll and a webhook reporting the same move at once, and
     * the second sees the first's digest (PostgreSQL re-checks the {@code where} on the committed row) and gets false.
     */
    public boolean remember(UUID connectionId, String repository, String tag, String digest) {
        return getEntityManager()
                .createNativeQuery("insert into tag_digest (connection_id, repository, tag, digest, checked_at)"
                        + " values (?1, ?2, ?3, ?4, ?5) on conflict (connection_id, repository, tag)"
                        + " do update set digest = excluded.digest, checked_at = excluded.checked_at"
                        + " where tag_digest.digest <> excluded.digest")
                .setParameter(1, connectionId)
                .setParameter(2, repository)
                .setParameter(3, tag)
                .setParameter(4, digest)
                .setParameter(5, Instant.now())
                .executeUpdate() == 1;
    }

    public void forget(UUID connectionId, String repository, String tag) {
        delete("connectionId = ?1 and repository = ?2 and tag = ?3", connectionId, repository, tag);
    }

    public void forgetDigest(UUID connectionId, String repository, String digest) {
        delete("connectionId = ?1 and repository = ?2 and digest = ?3", connectionId, repository, digest);
    }
}
