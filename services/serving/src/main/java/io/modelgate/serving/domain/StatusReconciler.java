package io.modelgate.serving.domain;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.transaction.Transactional;
import jakarta.transaction.Transactional.TxType;

import io.modelgate.serving.client.KServeObjects;
import io.modelgate.serving.client.Observation;
import io.modelgate.serving.persistence.ApprovedVersionRepository;
import io.modelgate.serving.persistence.DeploymentRepository;
import io.modelgate.serving.persistence.ExternalServiceRepository;

/**
 * Applies what the status watch saw to the rows: phase, URLs, replicas and failures for the API, and a
 * {@code ServiceRegistered} when a service turns Ready. An InferenceService deleted behind Modelgate's back is
 * announced out of service and written again.
 */
@ApplicationScoped
public class StatusReconciler {

    private final DeploymentRepository deployments;
    private final ExternalServiceRepository externals;
    private final ApprovedVersionRepository versions;
    private final Registrations registrations;
    private final Event<WritesPending> writesPending;

    public StatusReconciler(DeploymentRepository deployments, ExternalServiceRepository externals,
            ApprovedVersionRepository versions, Registrations registrations, Event<WritesPending> writesPending) {
        this.deployments = deployments;
        this.externals = externals;
        this.versions = versions;
        this.registrations = registrations;
        this.writesPending = writesPending;
    }

    /** Applies observations in one transaction; returns how many events were written. */
    @Transactional(TxType.REQUIRES_NEW)
    public int apply(List<Observation> observations) {
        int events = 0;
        for (Observation o : observations) {
            events += applyOne(o);
        }
        return events;
    }

    private int applyOne(Observation o) {
        ManagedService row = KServeObjects.KIND_EXTERNAL.equals(o.kind())
                ? externals.findById(o.id())
                : deployments.findById(o.id());
        if (row == null || row.deleting || !row.namespace.equals(o.namespace()) || !row.name.equals(o.name())) {
            // Not ours any more (deleted, or an object left from an earlier service of that name).
            return 0;
        }
        if (o.deleted()) {
            int events = registrations.deregister(row, "InferenceService deleted outside Modelgate") ? 1 : 0;
            row.appliedRevision = 0;
            row.state.phase = Phase.PENDING;
            row.state.statusReason = "Missing";
            row.state.statusMessage = "The InferenceService was deleted outside Modelgate; it is written again";
            row.state.nextWriteAt = null;
            row.state.observedAt = Instant.now();
            writesPending.fire(new WritesPending());
            return events;
        }
        ServiceState s = row.state;
        boolean changed = !(s.phase == o.phase() && Objects.equals(s.statusReason, o.reason())
                && Objects.equals(s.statusMessage, o.message()) && Objects.equals(s.internalUrl, o.internalUrl())
                && Objects.equals(s.externalUrl, o.url()) && Objects.equals(s.replicas, o.replicas())
                && Objects.equals(s.failedReplicas, o.failedReplicas())
                && (o.failureReason() == null || Objects.equals(s.lastFailureReason, o.failureReason())
                        && Objects.equals(s.lastFailureMessage, o.failureMessage())));
        if (changed) {
            s.phase = o.phase();
            s.statusReason = o.reason();
            s.statusMessage = o.message();
            s.internalUrl = o.internalUrl();
            s.externalUrl = o.url();
            s.replicas = o.replicas();
            s.failedReplicas = o.failedReplicas();
            if (o.failureReason() != null) {
                s.lastFailureReason = o.failureReason();
                s.lastFailureMessage = o.failureMessage();
                s.lastFailureAt = o.failureAt() != null ? o.failureAt() : Instant.now();
            }
            s.observedAt = Instant.now();
        }
        if (o.phase() != Phase.READY) {
            return 0;
        }
        if (row instanceof Deployment d) {
            if (d.stopped || o.digest() == null) {
                return 0;
            }
            ApprovedVersion version = versions.findById(o.versionId() != null ? o.versionId() : d.versionId);
            // Never announce what no longer holds a live approval, even if it still answers.
            if (version == null || !version.live() || !version.digest.equals(o.digest())) {
                return 0;
            }
            return registrations.registerDeployment(d, version, o.digest(), o.internalUrl(), o.url()) ? 1 : 0;
        }
        return registrations.registerExternal((ExternalService) row, o.internalUrl(), o.url()) ? 1 : 0;
    }
}
