package io.modelgate.approval.domain;

import java.time.Instant;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import jakarta.transaction.Transactional.TxType;

import io.modelgate.approval.persistence.AuditEntryRepository;

/** Appends to the audit trail in the caller's transaction, so an entry exists exactly when its change does. */
@ApplicationScoped
public class AuditTrail {

    /** Longest reason kept; a scan's reasons can be long and the trail must stay queryable. */
    private static final int MAX_REASON = 4000;

    private final AuditEntryRepository entries;

    public AuditTrail(AuditEntryRepository entries) {
        this.entries = entries;
    }

    @Transactional(TxType.MANDATORY)
    public void version(String actor, AuditAction action, ModelVersion version, VersionState from, VersionState to,
            String reason) {
        AuditEntry entry = entry(actor, action, reason);
        entry.modelId = version.modelId;
        entry.versionId = version.id;
        entry.fromState = from;
        entry.toState = to;
        entries.persist(entry);
    }

    @Transactional(TxType.MANDATORY)
    public void model(String actor, AuditAction action, UUID modelId, String reason) {
        AuditEntry entry = entry(actor, action, reason);
        entry.modelId = modelId;
        entries.persist(entry);
    }

    @Transactional(TxType.MANDATORY)
    public void policy(String actor, AuditAction action, UUID policyId, String reason) {
        AuditEntry entry = entry(actor, action, reason);
        entry.policyId = policyId;
        entries.persist(entry);
    }

    private static AuditEntry entry(String actor, AuditAction action, String reason) {
        AuditEntry entry = new AuditEntry();
        entry.id = UUID.randomUUID();
        entry.at = Instant.now();
        entry.actor = actor;
        entry.action = action;
        entry.reason = reason == null || reason.length() <= MAX_REASON ? reason : reason.substring(0, MAX_REASON);
        return entry;
    }
}
