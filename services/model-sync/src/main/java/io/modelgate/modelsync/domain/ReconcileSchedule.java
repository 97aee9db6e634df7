package io.modelgate.modelsync.domain;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.modelgate.modelsync.config.ModelSyncConfig;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.Scheduler;

/** Runs the reconcile cycle, the backstop for events a target missed while it was down. */
@ApplicationScoped
public class ReconcileSchedule {

    private static final Logger LOG = Logger.getLogger(ReconcileSchedule.class);

    private final ModelSync sync;
    private final ModelSyncConfig config;
    private final Scheduler scheduler;

    public ReconcileSchedule(ModelSync sync, ModelSyncConfig config, Scheduler scheduler) {
        this.sync = sync;
        this.config = config;
        this.scheduler = scheduler;
    }

    /** Scheduled from {@link ModelSyncConfig.Reconcile}, the one place that holds the interval and its default. */
    void schedule(@Observes StartupEvent event) {
        String every = config.reconcile().every();
        if ("off".equalsIgnoreCase(every)) {
            LOG.info("Reconcile cycle is off (modelgate.model-sync.reconcile.every=off); the API trigger still works");
            return;
        }
        scheduler.newJob("model-sync-reconcile")
                .setInterval(every)
                .setDelayed(config.reconcile().initialDelay())
                .setConcurrentExecution(Scheduled.ConcurrentExecution.SKIP)
                .setTask(execution -> reconcile())
                .schedule();
    }

    void reconcile() {
        SyncRun run = sync.reconcile(SyncTrigger.SCHEDULE);
        LOG.infof("Reconcile %s: %d created, %d updated, %d deleted, %d unchanged, %d skipped, %d failed", run.id,
                run.created, run.updated, run.deleted, run.unchanged, run.skipped, run.failed);
    }
}
