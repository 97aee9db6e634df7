package io.modelgate.scanner.persistence;

import jakarta.enterprise.context.ApplicationScoped;

import io.modelgate.scanner.domain.ApprovedModel;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;

/** Approved model versions by version id. */
@ApplicationScoped
public class ApprovedModelRepository implements PanacheRepositoryBase<ApprovedModel, String> {
}
