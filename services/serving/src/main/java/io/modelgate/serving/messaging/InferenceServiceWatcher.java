package io.modelgate.serving.messaging;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.modelgate.serving.client.KServeClient;
import io.modelgate.serving.client.KServeObjects;
import io.modelgate.serving.client.Observation;
import io.modelgate.serving.config.ServingConfig;
import io.modelgate.serving.domain.StatusReconciler;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * Watches every Modelgate-managed InferenceService with a fabric8 informer (list once, then watch; no polling) and
 * hands what changed to the {@link StatusReconciler}. Updates of one object coalesce while queued, batches share a
 * transaction, and an observation identical to the last one applied (an informer resync) is skipped.
 */
@ApplicationScoped
public class InferenceServiceWatcher {

    private static final Logger LOG = Logger.getLogger(InferenceServiceWatcher.class);
    private static final int BATCH = 200;

    private final KServeClient kube;
    private final StatusReconciler reconciler;
    private final ServingConfig config;
    private final Map<String, Observation> queued = new LinkedHashMap<>();
    private final Map<String, Observation> lastApplied = new ConcurrentHashMap<>();
    private final AtomicLong applied = new AtomicLong();
    private final AtomicLong received = new AtomicLong();
    private volatile SharedIndexInformer<GenericKubernetesResource> informer;
    private volatile Thread worker;
    private volatile boolean running;

    public InferenceServiceWatcher(KServeClient kube, StatusReconciler reconciler, ServingConfig config) {
        this.kube = kube;
        this.reconciler = reconciler;
        this.config = config;
    }

    void onStart(@Observes StartupEvent event) {
        if (config.kubernetes().watchEnabled()) {
            start();
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        stop();
    }

    /** Starts the worker and the informer; the informer's initial list delivers every managed object once. */
    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        worker = new Thread(this::work, "serving-status-watch");
        worker.setDaemon(true);
        worker.start();
        informer = kube.client()
                .genericKubernetesResources(KServeObjects.INFERENCE_SERVICE)
                .inAnyNamespace()
                .withLabel(KServeObjects.MANAGED_BY, KServeObjects.MANAGED_BY_VALUE)
                .runnableInformer(config.kubernetes().resyncInterval().toMillis());
        informer.addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(GenericKubernetesResource obj) {
                enqueue(Observation.of(obj, false));
            }

            @Override
            public void onUpdate(GenericKubernetesResource oldObj, GenericKubernetesResource newObj) {
                enqueue(Observation.of(newObj, false));
            }

            @Override
            public void onDelete(GenericKubernetesResource obj, boolean deletedFinalStateUnknown) {
                enqueue(Observation.of(obj, true));
            }
        });
        // The informer keeps retrying its list and watch while the API server is away; start-up does not wait.
        informer.start().whenComplete((ignored, error) -> {
            if (error != null) {
                LOG.warnf("InferenceService informer did not start: %s", error.getMessage());
            }
        });
    }

    /** Stops the informer and the worker; what is queued is dropped (the next start lists everything again). */
    public synchronized void stop() {
        running = false;
        if (informer != null) {
            informer.close();
            informer = null;
        }
        if (worker != null) {
            worker.interrupt();
            try {
                worker.join(TimeUnit.SECONDS.toMillis(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            worker = null;
        }
        synchronized (queued) {
            queued.clear();
        }
    }

    /** Stops, forgets what was applied and starts again: a full resync, as after a restart. */
    public void restart() {
        stop();
        lastApplied.clear();
        start();
    }

    /** Makes the next observation of {@code namespace/name} count even if it looks like the last one. */
    public void forget(String namespace, String name) {
        lastApplied.remove(namespace + "/" + name);
    }

    /** Observations applied (not skipped) since start-up. */
    public long appliedCount() {
        return applied.get();
    }

    /** Observations received from the informer since start-up, skipped ones included. */
    public long receivedCount() {
        return received.get();
    }

    /** Whether nothing is queued. */
    public boolean idle() {
        synchronized (queued) {
            return queued.isEmpty();
        }
    }

    private void enqueue(Observation observation) {
        received.incrementAndGet();
        if (observation == null) {
            return;
        }
        if (!observation.deleted() && observation.equals(lastApplied.get(observation.key()))) {
            return;
        }
        synchronized (queued) {
            queued.remove(observation.key());
            queued.put(observation.key(), observation);
            queued.notifyAll();
        }
    }

    private void work() {
        while (running && !Thread.currentThread().isInterrupted()) {
            List<Observation> batch = new ArrayList<>();
            try {
                synchronized (queued) {
                    while (queued.isEmpty()) {
                        queued.wait();
                    }
                    var it = queued.values().iterator();
                    while (it.hasNext() && batch.size() < BATCH) {
                        batch.add(it.next());
                        it.remove();
                    }
                }
            } catch (InterruptedException e) {
                return;
            }
            process(batch);
        }
    }

    private void process(List<Observation> batch) {
        try {
            reconciler.apply(batch);
            remember(batch);
        } catch (RuntimeException e) {
            // One bad row must not hold up the others: apply one at a time, each retried a few times.
            for (Observation o : batch) {
                applyAlone(o);
            }
        }
    }

    private void applyAlone(Observation o) {
        for (int attempt = 1; attempt <= 5; attempt++) {
            try {
                reconciler.apply(List.of(o));
                remember(List.of(o));
                return;
            } catch (RuntimeException e) {
                if (attempt == 5) {
                    // Left for the informer's next resync, which delivers the object again.
                    LOG.warnf("Could not apply the status of InferenceService %s: %s", o.key(), e.toString());
                    lastApplied.remove(o.key());
                    return;
                }
                try {
                    Thread.sleep(50L * attempt);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private void remember(List<Observation> batch) {
        for (Observation o : batch) {
            if (o.deleted()) {
                lastApplied.remove(o.key());
            } else {
                lastApplied.put(o.key(), o);
            }
            applied.incrementAndGet();
        }
    }
}
