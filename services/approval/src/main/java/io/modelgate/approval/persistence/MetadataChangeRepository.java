package io.modelgate.approval.persistence;

import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.modelgate.approval.domain.MetadataChange;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;

/** The history of metadata edits. */
@ApplicationScoped
public class MetadataChangeRepository implements PanacheRepositoryBase<MetadataChange, UUID> {

    public List<MetadataChange> forVersion(UUID versionId) {
        return list("versionId = ?1 order by changedAt, id", versionId);
    }

    public List<MetadataChange> forModel(UUID modelId) {
        return list("modelId = ?1 and versionId is null order by changedAt, id", modelId);
    }
}
