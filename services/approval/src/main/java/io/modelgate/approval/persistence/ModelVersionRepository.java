package io.modelgate.approval.persistence;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import io.modelgate.approval.domain.ModelVersion;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;

/** Versions by id and by model and digest. */
@ApplicationScoped
public class ModelVersionRepository implements PanacheRepositoryBase<ModelVersion, UUID> {

    /** The version locked for a state change, so a scan, a decision and a revocation never interleave. */
    public Optional<ModelVersion> lock(UUID id) {
        return findByIdOptional(id, LockModeType.PESSIMISTIC_WRITE);
    }

    /** Every version of a model, locked in id order (so two edits of one model never deadlock). */
    public List<ModelVersion> lockByModel(UUID modelId) {
        return find("modelId = ?1 order by id", modelId).withLock(LockModeType.PESSIMISTIC_WRITE).list();
    }

    public Optional<ModelVersion> lockByModelAndDigest(UUID modelId, String digest) {
        return find("modelId = ?1 and digest = ?2", modelId, digest)
                .withLock(LockModeType.PESSIMISTIC_WRITE)
                .firstResultOptional();
    }
}
