package io.modelgate.modelsync.persistence;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.modelgate.modelsync.domain.SyncTarget;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;

/** Target databases, by name. */
@ApplicationScoped
public class SyncTargetRepository implements PanacheRepositoryBase<SyncTarget, UUID> {

    public Optional<SyncTarget> findByName(String name) {
        return find("name", name).firstResultOptional();
    }

    public List<SyncTarget> listByName() {
        return listAll(Sort.by("name"));
    }

    public List<SyncTarget> listEnabled() {
        return list("enabled", Sort.by("name"), true);
    }
}
