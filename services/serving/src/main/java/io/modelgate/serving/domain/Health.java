package io.modelgate.serving.domain;

/** The provider health of an external service, from {@code GET {endpoint}/models} with the platform's key. */
public enum Health {
    /** The provider answered with the key. */
    READY,
    /** Registered, not checked yet. */
    PENDING,
    /** Key invalid, quota exhausted or unreachable. */
    FAILED,
    /** The provider answered something the check cannot judge, or the key could not be read. */
    UNKNOWN
}
