package io.modelgate.approval.domain;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** One approver's immutable decision on a version in one review round. */
@Entity
@Table(name = "approval_decision")
public class Decision {

    @Id
    public UUID id;

    @Column(name = "version_id")
    public UUID versionId;

    @Column(name = "review_round")
    public int reviewRound;

    @Enumerated(EnumType.STRING)
    public DecisionKind decision;

    @Column(name = "decided_by")
    public String decidedBy;

    public String comment;

    @Column(name = "decided_at")
    public Instant decidedAt;
}
