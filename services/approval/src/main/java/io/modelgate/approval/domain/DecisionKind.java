package io.modelgate.approval.domain;

/** An approver's decision on a pending version. */
public enum DecisionKind {
    APPROVE, REJECT
}
