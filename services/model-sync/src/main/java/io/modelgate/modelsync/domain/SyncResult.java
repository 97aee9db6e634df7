package io.modelgate.modelsync.domain;

import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** What one sync pass did to one model in one target (or, with no model, to the whole target), and why. */
@Entity
@Table(name = "sync_result")
public class SyncResult {

    @Id
    public UUID id;

    @Column(name = "run_id")
    public UUID runId;

    @Column(name = "target_id")
    public UUID targetId;

    @Column(name = "target_name")
    public String targetName;

    /** Null when the outcome covers the whole target. */
    @Column(name = "aidb_name")
    public String aidbName;

    @Column(name = "service_id")
    public String serviceId;

    @Enumerated(EnumType.STRING)
    public SyncOutcome outcome;

    public String reason;

    /** Knowledge bases or pipelines of the target that used a deleted model, e.g. {@code knowledge_bases:docs}. */
    @Column(name = "referenced_by")
    public String referencedBy;
}
