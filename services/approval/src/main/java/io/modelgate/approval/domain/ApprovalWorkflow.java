package io.modelgate.approval.domain;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import jakarta.transaction.Transactional.TxType;

import io.modelgate.approval.persistence.ApprovalPolicyRepository;
import io.modelgate.approval.persistence.AuditEntryRepository;
import io.modelgate.approval.persistence.DecisionRepository;
import io.modelgate.approval.persistence.ModelRepository;
import io.modelgate.approval.persistence.ModelVersionRepository;
import io.modelgate.events.ApprovalDecision;
import io.modelgate.events.ApprovalMode;
import io.modelgate.events.ModelApproved;
import io.modelgate.events.ModelRevoked;
import io.modelgate.events.Topics;
import io.modelgate.platform.problem.ProblemException;

/**
 * The version state machine: applies policy outcomes, records approvers' decisions and revocations, and emits
 * ModelApproved and ModelRevoked through the outbox in the transaction of the state change, in the image's trace
 * ({@link VersionTrace}). Every change locks the version row first, so a scan, a decision and a revocation of one
 * version never interleave.
 */
@ApplicationScoped
public class ApprovalWorkflow {

    private final ModelRepository models;
    private final ModelVersionRepository versions;
    private final ApprovalPolicyRepository policies;
    private final DecisionRepository decisions;
    private final AuditEntryRepository auditEntries;
    private final AuditTrail audit;
    private final VersionTrace trace;

    public ApprovalWorkflow(ModelRepository models, ModelVersionRepository versions, ApprovalPolicyRepository policies,
            DecisionRepository decisions, AuditEntryRepository auditEntries, AuditTrail audit, VersionTrace trace) {
        this.models = models;
        this.versions = versions;
        this.policies = policies;
        this.decisions = decisions;
        this.auditEntries = auditEntries;
        this.audit = audit;
        this.trace = trace;
    }

    /** A version the policy may decide again: not yet decided, or refused by a policy rather than a person. */
    public static boolean reopenable(ModelVersion version) {
        return version.state == VersionState.SCANNED || version.state == VersionState.PENDING_APPROVAL
                || version.state == VersionState.REJECTED && version.stateActor.startsWith(policyActor(""));
    }

    static String policyActor(String rule) {
        return "policy:" + rule;
    }

    /** Evaluates the active policy (the built-in one if none) for a scanned version. */
    @Transactional(TxType.MANDATORY)
    public PolicyEngine.Evaluation evaluate(Model model, ModelVersion version) {
        return PolicyEngine.evaluate(policies.findActive().orElse(null), model, version);
    }

    /** Applies a policy outcome to a version that may be decided (see {@link #reopenable}). */
    @Transactional(TxType.MANDATORY)
    public void apply(Model model, ModelVersion version, PolicyEngine.Evaluation evaluation) {
        PolicyOutcome outcome = evaluation.outcome();
        String actor = policyActor(evaluation.rule());
        // The state change's audit entry names the rule (its actor) and the scan it decided on.
        String basis = describe(outcome) + " on scan " + version.scanId + " (" + version.scanVerdict + ")";
        version.policyRule = evaluation.rule();
        switch (outcome.action()) {
            case AUTO_APPROVE -> {
                version.requiredApprovals = 0;
                version.requiredRole = null;
                approve(model, version, actor, basis,
                        new ApprovalDecision(ApprovalMode.POLICY, List.of(), evaluation.rule(), null));
            }
            case REQUIRE_APPROVALS -> {
                version.requiredApprovals = outcome.approvals();
                version.requiredRole = outcome.role();
                // A new round: approvals given before this scan or edit were about something else.
                version.reviewRound++;
                transition(version, VersionState.PENDING_APPROVAL, actor, basis + ", review round "
                        + version.reviewRound);
            }
            case REJECT -> transition(version, VersionState.REJECTED, actor, basis);
        }
    }

    private static String describe(PolicyOutcome outcome) {
        return outcome.action() == OutcomeAction.REQUIRE_APPROVALS
                ? "REQUIRE_APPROVALS(" + outcome.approvals() + ", " + outcome.role() + ")"
                : outcome.action().name();
    }

    /** Records an approver's decision on a pending version; enough distinct approvals approve it, one rejection rejects it. */
    @Transactional
    public Decision decide(UUID versionId, DecisionKind kind, String comment, String user, Predicate<String> hasRole) {
        ModelVersion version = lock(versionId);
        if (version.state != VersionState.PENDING_APPROVAL) {
            throw ProblemException.conflict("Version " + versionId + " is " + version.state
                    + "; decisions are taken only on a version in PENDING_APPROVAL");
        }
        if (!hasRole.test(version.requiredRole)) {
            throw ProblemException.forbidden("Policy rule " + version.policyRule + " requires approvers with the role "
                    + version.requiredRole);
        }
        if (kind == DecisionKind.APPROVE && auditEntries.requesters(versionId).contains(user)) {
            throw ProblemException.forbidden("Separation of duties: " + user + " requested this version (edited its"
                    + " metadata or asked for its re-evaluation) and so cannot approve it");
        }
        List<Decision> round = decisions.inRound(versionId, version.reviewRound);
        if (round.stream().anyMatch(d -> d.decidedBy.equals(user))) {
            throw ProblemException.conflict(user + " already decided on version " + versionId + " in review round "
                    + version.reviewRound + "; decisions cannot be changed");
        }
        Decision decision = new Decision();
        decision.id = UUID.randomUUID();
        decision.versionId = versionId;
        decision.reviewRound = version.reviewRound;
        decision.decision = kind;
        decision.decidedBy = user;
        decision.comment = comment;
        decision.decidedAt = Instant.now();
        decisions.persist(decision);
        audit.version(user, AuditAction.DECISION_RECORDED, version, version.state, version.state,
                kind + (comment == null ? "" : ": " + comment));

        if (kind == DecisionKind.REJECT) {
            transition(version, VersionState.REJECTED, user, comment == null ? "rejected" : comment);
            return decision;
        }
        List<Decision> approvals = round.stream()
                .filter(d -> d.decision == DecisionKind.APPROVE)
                .collect(Collectors.toCollection(ArrayList::new));
        approvals.add(decision);
        if (approvals.size() >= version.requiredApprovals) {
            String comments = approvals.stream()
                    .filter(d -> d.comment != null)
                    .map(d -> d.decidedBy + ": " + d.comment)
                    .collect(Collectors.joining("\n"));
            List<String> approvers = approvals.stream().map(d -> d.decidedBy).toList();
            approve(models.findById(version.modelId), version, user,
                    "approved by " + String.join(", ", approvers),
                    new ApprovalDecision(ApprovalMode.HUMAN, approvers, version.policyRule,
                            comments.isEmpty() ? null : comments));
        }
        return decision;
    }

    /** Withdraws an approval: the version leaves service everywhere once serving reads ModelRevoked. */
    @Transactional
    public ModelVersion revoke(UUID versionId, String reason, String user) {
        ModelVersion version = lock(versionId);
        if (version.state != VersionState.APPROVED) {
            throw ProblemException.conflict("Version " + versionId + " is " + version.state
                    + "; only an APPROVED version can be revoked");
        }
        revoke(models.findById(version.modelId), version, reason, user);
        return version;
    }

    @Transactional(TxType.MANDATORY)
    public void revoke(Model model, ModelVersion version, String reason, String actor) {
        transition(version, VersionState.REVOKED, actor, reason);
        ModelRevoked event = ModelRevoked.of(model.id.toString(), model.name, version.id.toString(), version.version,
                version.digest, version.reference, reason, actor);
        trace.publish(version, Topics.APPROVAL_MODELS, event.key(), event);
    }

    /** Has the active policy decide again, e.g. after the policy changed; the caller is recorded as a requester. */
    @Transactional
    public ModelVersion reEvaluate(UUID versionId, String user) {
        ModelVersion version = lock(versionId);
        if (!reopenable(version)) {
            throw ProblemException.conflict("Version " + versionId + " is " + version.state + " (" + version.stateActor
                    + "); only a pending version or one rejected by a policy can be re-evaluated");
        }
        audit.version(user, AuditAction.RE_EVALUATION_REQUESTED, version, version.state, version.state, null);
        Model model = models.findById(version.modelId);
        apply(model, version, evaluate(model, version));
        return version;
    }

    public ModelVersion lock(UUID versionId) {
        return versions.lock(versionId)
                .orElseThrow(() -> ProblemException.notFound("No model version " + versionId));
    }

    private void approve(Model model, ModelVersion version, String actor, String reason, ApprovalDecision decision) {
        transition(version, VersionState.APPROVED, actor, reason);
        version.flagged = false;
        version.flagReason = null;
        ModelApproved event = ModelApproved.of(model.id.toString(), model.name, version.id.toString(),
                version.version, version.image(), model.functionTypes(), version.metadata(), version.resources(),
                version.scan(), decision);
        trace.publish(version, Topics.APPROVAL_MODELS, event.key(), event);
    }

    @Transactional(TxType.MANDATORY)
    public void transition(ModelVersion version, VersionState to, String actor, String reason) {
        VersionState from = version.state;
        version.state = to;
        version.stateActor = actor;
        version.stateChangedAt = Instant.now();
        version.updatedAt = version.stateChangedAt;
        audit.version(actor, AuditAction.STATE_CHANGED, version, from, to, reason);
    }
}
