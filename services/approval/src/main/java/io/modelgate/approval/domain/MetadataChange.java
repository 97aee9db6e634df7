package io.modelgate.approval.domain;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** One field of a model's or version's metadata changed by an administrator: the history of curated facts. */
@Entity
@Table(name = "metadata_change")
public class MetadataChange {

    @Id
    public UUID id;

    @Column(name = "model_id")
    public UUID modelId;

    /** Null for a change to the model itself. */
    @Column(name = "version_id")
    public UUID versionId;

    public String field;

    @Column(name = "old_value")
    public String oldValue;

    @Column(name = "new_value")
    public String newValue;

    @Column(name = "changed_by")
    public String changedBy;

    @Column(name = "changed_at")
    public Instant changedAt;

    public String comment;
}
