package io.modelgate.modelsync.domain;

/** What a sync pass did to one model in one target. */
public enum SyncOutcome {
    CREATED, UPDATED, DELETED, UNCHANGED, SKIPPED, FAILED
}
