package io.modelgate.serving.api;

import java.time.Instant;

import io.modelgate.serving.domain.ManagedService;
import io.modelgate.serving.domain.Phase;
import io.modelgate.serving.domain.ServiceState;

/**
 * The status of a managed InferenceService as the API shows it.
 *
 * @param url {@code status.url}
 * @param internalUrl {@code status.address.url}
 * @param replicas {@code status.modelStatus.copies.totalCopies}
 * @param registered whether model-sync was last told it is in service
 * @param kubernetes the Kubernetes side of writing it: pending, last error, attempts
 */
public record StatusView(Phase phase, String reason, String message, String url, String internalUrl,
        Integer replicas, Integer failedReplicas, Failure lastFailure, boolean registered, Instant registeredAt,
        Instant observedAt, Kubernetes kubernetes) {

    /** The last failure KServe reported. */
    public record Failure(String reason, String message, Instant at) {
    }

    /** Whether the desired object is in the cluster, and the last API error if not. */
    public record Kubernetes(boolean writePending, String lastError, Instant lastErrorAt, int attempts,
            Instant nextAttemptAt) {
    }

    static StatusView of(ManagedService service) {
        ServiceState s = service.state;
        Failure failure = s.lastFailureReason == null
                ? null
                : new Failure(s.lastFailureReason, s.lastFailureMessage, s.lastFailureAt);
        return new StatusView(s.phase, s.statusReason, s.statusMessage, s.externalUrl, s.internalUrl, s.replicas,
                s.failedReplicas, failure, s.registered, s.registeredAt, s.observedAt,
                new Kubernetes(service.writePending(), s.kubeError, s.kubeErrorAt, s.writeAttempts,
                        service.writePending() ? s.nextWriteAt : null));
    }
}
