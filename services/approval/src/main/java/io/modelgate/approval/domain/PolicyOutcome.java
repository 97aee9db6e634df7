package io.modelgate.approval.domain;

/**
 * The outcome of a policy rule.
 *
 * @param action what happens
 * @param approvals for REQUIRE_APPROVALS: how many distinct approvers must approve
 * @param role for REQUIRE_APPROVALS: the role each approver must hold ({@code modelgate-approver} if absent)
 */
public record PolicyOutcome(OutcomeAction action, Integer approvals, String role) {
}
