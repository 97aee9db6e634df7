package io.modelgate.approval.domain;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** One append-only line of the audit trail: who did what to which version or policy, when and why. */
@Entity
@Table(name = "audit_entry")
public class AuditEntry {

    @Id
    public UUID id;

    /** Insertion order, assigned by the database (read-only here); the audit trail is listed in it. */
    @Column(insertable = false, updatable = false)
    public Long seq;

    public Instant at;

    public String actor;

    @Enumerated(EnumType.STRING)
    public AuditAction action;

    @Column(name = "model_id")
    public UUID modelId;

    @Column(name = "version_id")
    public UUID versionId;

    @Column(name = "policy_id")
    public UUID policyId;

    @Enumerated(EnumType.STRING)
    @Column(name = "from_state")
    public VersionState fromState;

    @Enumerated(EnumType.STRING)
    @Column(name = "to_state")
    public VersionState toState;

    public String reason;
}
