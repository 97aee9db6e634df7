package io.modelgate.modelsync.domain;

/** What started a sync pass. */
public enum SyncTrigger {
    /** A {@code ServiceRegistered} or {@code ServiceDeregistered} event. */
    EVENT,
    /** The reconcile cycle. */
    SCHEDULE,
    /** An administrator through the API. */
    API
}
