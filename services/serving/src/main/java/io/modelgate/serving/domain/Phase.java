package io.modelgate.serving.domain;

/** Where a managed InferenceService stands, as read from the status the KServe controller writes. */
public enum Phase {
    /** Written (or about to be), not ready yet. */
    PENDING,
    /** Ready with its URLs. */
    READY,
    /** A condition is False or the model failed to load; reason and message say why. */
    FAILED,
    /** Stopped after a revocation ({@code serving.kserve.io/stop}). */
    STOPPED,
    /** Being deleted. */
    DELETING
}
