package io.modelgate.approval.domain;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** An approval policy: ordered rules, first match wins, then the default outcome; at most one is active. */
@Entity
@Table(name = "approval_policy")
public class ApprovalPolicy {

    @Id
    public UUID id;

    public String name;

    public String description;

    public boolean active;

    @JdbcTypeCode(SqlTypes.JSON)
    public List<PolicyRule> rules = List.of();

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "default_outcome")
    public PolicyOutcome defaultOutcome;

    @Enumerated(EnumType.STRING)
    @Column(name = "on_rescan_failure")
    public RescanFailureAction onRescanFailure;

    @Column(name = "created_by")
    public String createdBy;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "updated_by")
    public String updatedBy;

    @Column(name = "updated_at")
    public Instant updatedAt;
}
