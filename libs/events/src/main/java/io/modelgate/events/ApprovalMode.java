package io.modelgate.events;

/** Whether an approval was granted automatically or by people; recorded in approval for the audit trail. */
public enum ApprovalMode {
    /** An approval policy matched and approved without a person. */
    POLICY,
    /** One or more approvers decided through the approval API. */
    HUMAN
}
