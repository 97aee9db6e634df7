package io.modelgate.modelsync.persistence;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.modelgate.modelsync.domain.ServedModel;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;

/** The services serving has registered, active or deregistered. */
@ApplicationScoped
public class ServedModelRepository implements PanacheRepositoryBase<ServedModel, UUID> {

    public Optional<ServedModel> findByServiceId(String serviceId) {
        return find("serviceId", serviceId).firstResultOptional();
    }

    public List<ServedModel> listActive() {
        return list("active", Sort.by("aidbName"), true);
    }

    /** The active service holding an AIDB name, if any. */
    public Optional<ServedModel> findActiveByAidbName(String aidbName) {
        return find("active = true and aidbName = ?1", aidbName).firstResultOptional();
    }
}
