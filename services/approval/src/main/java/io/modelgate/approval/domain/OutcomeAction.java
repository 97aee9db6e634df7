package io.modelgate.approval.domain;

/** What a policy rule decides for a scanned version. */
public enum OutcomeAction {
    AUTO_APPROVE, REQUIRE_APPROVALS, REJECT
}
