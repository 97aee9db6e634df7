package io.modelgate.approval.persistence;

import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.modelgate.approval.domain.Model;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;

/** Models by id and name. */
@ApplicationScoped
public class ModelRepository implements PanacheRepositoryBase<Model, UUID> {

    public Optional<Model> findByName(String name) {
        return find("name", name).firstResultOptional();
    }
}
