package io.modelgate.serving.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.persistence.OptimisticLockException;

import org.hibernate.StaleStateException;
import org.jboss.logging.Logger;

import io.modelgate.serving.client.KServeClient;
import io.modelgate.serving.client.KServeObjects;
import io.modelgate.serving.client.KubeException;
import io.modelgate.serving.config.ServingConfig;
import io.modelgate.serving.persistence.DeploymentRepository;
import io.modelgate.serving.persistence.ExternalServiceRepository;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;

/**
 * Brings the cluster to the desired state of each row: writes (create-or-update by stable name) or deletes its
 * InferenceService. Called right after a request commits, after commits that leave work (revocations, objects
 * deleted behind our back), and by a periodic retry with exponential backoff; the last error is kept on the row.
 */
@ApplicationScoped
public class KubernetesWriter {

    private static final Logger LOG = Logger.getLogger(KubernetesWriter.class);

    private final DeploymentRepository deployments;
    private final ExternalServiceRepository externals;
    private final KServeClient kube;
    private final KServeObjects objects;
    private final ServingConfig config;
    private final Set<UUID> inFlight = ConcurrentHashMap.newKeySet();
    private final ExecutorService signals = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "serving-writer");
        t.setDaemon(true);
        return t;
    });

    public KubernetesWriter(DeploymentRepository deployments, ExternalServiceRepository externals,
            KServeClient kube, KServeObjects objects, ServingConfig config) {
        this.deployments = deployments;
        this.externals = externals;
        this.kube = kube;
        this.objects = objects;
        this.config = config;
    }

    void onWritesPending(@Observes(during = TransactionPhase.AFTER_SUCCESS) WritesPending event) {
        signals.submit(this::retryDue);
    }

    /** Background retry of everything pending whose time has come. */
    @Scheduled(every = "${modelgate.serving.kubernetes.retry-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void retryDue() {
        Instant now = Instant.now();
        List<UUID> dueDeployments = QuarkusTransaction.requiringNew().call(() -> deployments.pendingWrites(now, 100));
        for (UUID id : dueDeployments) {
            writeDeployment(id);
        }
        List<UUID> dueExternals = QuarkusTransaction.requiringNew().call(() -> externals.pendingWrites(now, 100));
        for (UUID id : dueExternals) {
            writeExternal(id);
        }
    }

    /** Writes or deletes one deployment's InferenceService now; failures are recorded, not thrown. */
    public void writeDeployment(UUID id) {
        if (!inFlight.add(id)) {
            return;
        }
        try {
            Deployment d = QuarkusTransaction.requiringNew().call(() -> deployments.findById(id));
            if (d == null || !d.writePending()) {
                return;
            }
            try {
                if (d.deleting) {
                    kube.delete(KServeObjects.INFERENCE_SERVICE, d.namespace, d.name);
                    update(deployments::findById, id, row -> {
                        if (row.deleting) {
                            deployments.delete(row);
                        }
                    });
                    return;
                }
                if ("tensorrt-llm".equals(d.runtime)) {
                    kube.apply(KServeObjects.SERVING_RUNTIME, objects.tensorrtLlmRuntime(d.namespace), null);
                }
                kube.apply(KServeObjects.INFERENCE_SERVICE, objects.inferenceService(d), d.id);
                long written = d.specRevision;
                update(deployments::findById, id, row -> applied(row, written));
            } catch (KubeException e) {
                update(deployments::findById, id, row -> failed(row, e));
            }
        } finally {
            inFlight.remove(id);
        }
    }

    /** Writes or deletes one external service's proxy InferenceService (and, when deleting, its Secret). */
    public void writeExternal(UUID id) {
        if (!inFlight.add(id)) {
            return;
        }
        try {
            ExternalService e = QuarkusTransaction.requiringNew().call(() -> externals.findById(id));
            if (e == null || !e.writePending()) {
                return;
            }
            try {
                if (e.deleting) {
                    kube.delete(KServeObjects.INFERENCE_SERVICE, e.namespace, e.name);
                    kube.deleteSecret(e.namespace, e.secretName);
                    update(externals::findById, id, row -> {
                        if (row.deleting) {
                            externals.delete(row);
                        }
                    });
                    return;
                }
                kube.apply(KServeObjects.SERVING_RUNTIME, objects.proxyRuntime(e.namespace), null);
                kube.apply(KServeObjects.INFERENCE_SERVICE, objects.proxyInferenceService(e), e.id);
                long written = e.specRevision;
                update(externals::findById, id, row -> applied(row, written));
            } catch (KubeException ex) {
                update(externals::findById, id, row -> failed(row, ex));
            }
        } finally {
            inFlight.remove(id);
        }
    }

    private static void applied(ManagedService row, long written) {
        row.appliedRevision = Math.max(row.appliedRevision, written);
        row.state.kubeError = null;
        row.state.kubeErrorAt = null;
        row.state.writeAttempts = 0;
        // A change that arrived while writing is picked up by the next retry at once.
        row.state.nextWriteAt = null;
    }

    private void failed(ManagedService row, KubeException e) {
        row.state.kubeError = e.getMessage();
        row.state.kubeErrorAt = Instant.now();
        row.state.writeAttempts++;
        row.state.nextWriteAt = Instant.now().plus(retryBackoff(row.state.writeAttempts));
        LOG.warnf("%s (attempt %d, next at %s)", e.getMessage(), row.state.writeAttempts, row.state.nextWriteAt);
    }

    /** Doubling from the retry interval, capped at the maximum backoff. */
    Duration retryBackoff(int attempts) {
        long base = config.kubernetes().retryInterval().toMillis();
        long max = config.kubernetes().maxBackoff().toMillis();
        return Duration.ofMillis(Math.min(max, base << Math.min(attempts - 1, 20)));
    }

    /** Changes a row in its own transaction, retrying when the status watch or the API changed it meanwhile. */
    private <T extends ManagedService> void update(java.util.function.Function<UUID, T> finder, UUID id,
            Consumer<T> change) {
        for (int attempt = 1;; attempt++) {
            try {
                QuarkusTransaction.requiringNew().run(() -> {
                    T row = finder.apply(id);
                    if (row != null) {
                        change.accept(row);
                    }
                });
                return;
            } catch (RuntimeException e) {
                if (attempt >= 5 || !isOptimisticLock(e)) {
                    throw e;
                }
            }
        }
    }

    static boolean isOptimisticLock(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof OptimisticLockException || t instanceof StaleStateException) {
                return true;
            }
        }
        return false;
    }

    @PreDestroy
    void stop() {
        signals.shutdownNow();
    }
}
