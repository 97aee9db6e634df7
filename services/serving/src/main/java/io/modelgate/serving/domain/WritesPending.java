package io.modelgate.serving.domain;

/** Fired inside a transaction that left Kubernetes writes to do; observed after commit by the writer. */
public record WritesPending() {
}
