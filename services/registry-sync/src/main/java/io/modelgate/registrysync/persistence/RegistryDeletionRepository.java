package io.modelgate.registrysync.persistence;

import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.modelgate.registrysync.domain.RegistryDeletion;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;

/** Deletions reported by registries. */
@ApplicationScoped
public class RegistryDeletionRepository implements PanacheRepositoryBase<RegistryDeletion, UUID> {

    public List<RegistryDeletion> ofConnection(UUID connectionId) {
        return list("connectionId", Sort.by("deletedAt").descending(), connectionId);
    }
}
