package io.modelgate.serving.domain;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;

/**
 * The Kubernetes side of a managed service: what its InferenceService last showed, what was last announced on Kafka
 * (so events are emitted on transitions only, across resyncs and restarts) and the last Kubernetes API error.
 */
@Embeddable
public class ServiceState {

    @Enumerated(EnumType.STRING)
    public Phase phase = Phase.PENDING;

    @Column(name = "status_reason")
    public String statusReason;

    @Column(name = "status_message")
    public String statusMessage;

    @Column(name = "internal_url")
    public String internalUrl;

    @Column(name = "external_url")
    public String externalUrl;

    public Integer replicas;

    @Column(name = "failed_replicas")
    public Integer failedReplicas;

    @Column(name = "last_failure_reason")
    public String lastFailureReason;

    @Column(name = "last_failure_message")
    public String lastFailureMessage;

    @Column(name = "last_failure_at")
    public Instant lastFailureAt;

    @Column(name = "observed_at")
    public Instant observedAt;

    /** Whether the last event emitted for the service was a {@code ServiceRegistered}. */
    public boolean registered;

    /** What the last {@code ServiceRegistered} announced; a change (new URL, new digest) announces again. */
    @Column(name = "registered_fingerprint")
    public String registeredFingerprint;

    @Column(name = "registered_at")
    public Instant registeredAt;

    @Column(name = "kube_error")
    public String kubeError;

    @Column(name = "kube_error_at")
    public Instant kubeErrorAt;

    @Column(name = "write_attempts")
    public int writeAttempts;

    /** When the background retry may try the pending write again; null when nothing waits. */
    @Column(name = "next_write_at")
    public Instant nextWriteAt;
}
