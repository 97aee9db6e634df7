package io.modelgate.events;

import java.util.List;
import java.util.Objects;

/**
 * Who or what approved a model version and why, produced by approval inside {@link ModelApproved} for the
 * audit trail downstream.
 *
 * @param mode how the decision was made
 * @param approvedBy user names of the approvers; empty for a policy decision
 * @param policyRule the policy rule that approved; null for a human decision
 * @param comment the approver's comment; null if none
 */
public record ApprovalDecision(ApprovalMode mode, List<String> approvedBy, String policyRule, String comment) {

    public ApprovalDecision {
        Objects.requireNonNull(mode, "mode");
        approvedBy = Values.list(approvedBy);
    }
}
