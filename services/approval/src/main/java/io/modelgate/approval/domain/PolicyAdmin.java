package io.modelgate.approval.domain;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import io.modelgate.approval.persistence.ApprovalPolicyRepository;
import io.modelgate.platform.problem.Problem;
import io.modelgate.platform.problem.ProblemException;

/** Creates, changes, activates and deletes approval policies, each change validated and audited. */
@ApplicationScoped
public class PolicyAdmin {

    /** A policy as an administrator writes it. */
    public record PolicySpec(String name, String description, List<PolicyRule> rules, PolicyOutcome defaultOutcome,
            RescanFailureAction onRescanFailure) {
    }

    private final ApprovalPolicyRepository policies;
    private final AuditTrail audit;

    public PolicyAdmin(ApprovalPolicyRepository policies, AuditTrail audit) {
        this.policies = policies;
        this.audit = audit;
    }

    @Transactional
    public ApprovalPolicy create(PolicySpec spec, boolean activate, String user) {
        validate(spec);
        if (policies.findByName(spec.name()).isPresent()) {
            throw ProblemException.conflict("A policy named '" + spec.name() + "' exists already");
        }
        ApprovalPolicy policy = new ApprovalPolicy();
        policy.id = UUID.randomUUID();
        policy.createdBy = user;
        policy.createdAt = Instant.now();
        copy(spec, policy, user);
        policies.persist(policy);
        audit.policy(user, AuditAction.POLICY_CREATED, policy.id, policy.name);
        if (activate) {
            activate(policy, user);
        }
        return policy;
    }

    @Transactional
    public ApprovalPolicy update(UUID id, PolicySpec spec, String user) {
        validate(spec);
        ApprovalPolicy policy = find(id);
        policies.findByName(spec.name()).filter(other -> !other.id.equals(id)).ifPresent(other -> {
            throw ProblemException.conflict("A policy named '" + spec.name() + "' exists already");
        });
        copy(spec, policy, user);
        audit.policy(user, AuditAction.POLICY_UPDATED, id, policy.name);
        return policy;
    }

    /** Makes this the policy that decides; the previously active one stops deciding. */
    @Transactional
    public ApprovalPolicy activate(UUID id, String user) {
        ApprovalPolicy policy = find(id);
        if (!policy.active) {
            activate(policy, user);
        }
        return policy;
    }

    @Transactional
    public void delete(UUID id, String user) {
        ApprovalPolicy policy = find(id);
        if (policy.active) {
            throw ProblemException.conflict("Policy '" + policy.name + "' is active; activate another one first");
        }
        policies.delete(policy);
        audit.policy(user, AuditAction.POLICY_DELETED, id, policy.name);
    }

    public ApprovalPolicy find(UUID id) {
        return policies.findByIdOptional(id).orElseThrow(() -> ProblemException.notFound("No policy " + id));
    }

    private void activate(ApprovalPolicy policy, String user) {
        policies.findActive().ifPresent(current -> {
            current.active = false;
            // The partial unique index allows one active row: the old one must be off before the new one is on.
            policies.flush();
        });
        policy.active = true;
        audit.policy(user, AuditAction.POLICY_ACTIVATED, policy.id, policy.name);
    }

    private static void validate(PolicySpec spec) {
        List<Problem.FieldError> errors = PolicyEngine.validate(spec.rules() == null ? List.of() : spec.rules(),
                spec.defaultOutcome());
        if (!errors.isEmpty()) {
            throw new ProblemException(400, "Bad Request", "Invalid policy: " + errors.stream()
                    .map(e -> e.field() + " " + e.message())
                    .reduce((a, b) -> a + "; " + b)
                    .orElseThrow(), errors);
        }
    }

    private static void copy(PolicySpec spec, ApprovalPolicy policy, String user) {
        policy.name = spec.name();
        policy.description = spec.description();
        policy.rules = spec.rules() == null ? List.of() : List.copyOf(spec.rules());
        policy.defaultOutcome = spec.defaultOutcome();
        policy.onRescanFailure = spec.onRescanFailure() == null ? RescanFailureAction.REVOKE : spec.onRescanFailure();
        policy.updatedBy = user;
        policy.updatedAt = Instant.now();
    }
}
