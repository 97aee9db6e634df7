package io.modelgate.approval.domain;

/**
 * Where a model version stands: DISCOVERED → SCANNED → PENDING_APPROVAL → APPROVED or REJECTED; APPROVED → REVOKED.
 */
public enum VersionState {
    /** Known from its first scan's image, before the scan is recorded. */
    DISCOVERED,
    /** Scanned; no policy outcome applied yet. */
    SCANNED,
    /** Waiting for the approvals the policy requires. */
    PENDING_APPROVAL,
    /** May be served. */
    APPROVED,
    /** Refused by policy or by an approver; final. */
    REJECTED,
    /** Approval withdrawn; final. */
    REVOKED
}
