package io.modelgate.approval.domain;

/** What a policy does when a rescan fails a version that is already approved. */
public enum RescanFailureAction {
    /** Withdraw the approval and emit ModelRevoked. */
    REVOKE,
    /** Keep the approval but flag the version for an approver to look at. */
    FLAG
}
