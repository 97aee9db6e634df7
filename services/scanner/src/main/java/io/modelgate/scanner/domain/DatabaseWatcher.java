package io.modelgate.scanner.domain;

import java.time.Instant;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.modelgate.scanner.client.trivy.TrivyVersion;
import io.modelgate.scanner.config.ScannerConfig;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.Scheduler;

/**
 * Checks the vulnerability database every {@code trivy.db-check-interval} (first at startup) and queues rescans of the
 * approved digests last scanned against an older one, so approval learns of CVEs published since it approved.
 */
@ApplicationScoped
public class DatabaseWatcher {

    private static final Logger LOG = Logger.getLogger(DatabaseWatcher.class);

    private final TrivyDatabase database;
    private final ScanService scans;
    private final ScannerConfig config;

    public DatabaseWatcher(TrivyDatabase database, ScanService scans, ScannerConfig config) {
        this.database = database;
        this.scans = scans;
        this.config = config;
    }

    /** Scheduled from the typed setting, so its default lives in {@link ScannerConfig} alone. */
    void schedule(@Observes StartupEvent startup, Scheduler scheduler) {
        scheduler.newJob(DatabaseWatcher.class.getName())
                .setInterval(config.trivy().dbCheckInterval().toString())
                .setConcurrentExecution(Scheduled.ConcurrentExecution.SKIP)
                .setTask(execution -> check())
                .schedule();
    }

    /** Checks now; returns how many rescans were queued. */
    public int check() {
        Optional<TrivyVersion> version = database.refresh();
        Instant updatedAt = version.map(TrivyVersion::dbUpdatedAt).orElse(null);
        if (updatedAt == null) {
            return 0;
        }
        int queued = scans.queueApprovedRescans(updatedAt);
        if (queued > 0) {
            LOG.infof("Vulnerability database %s: queued %d approved digest(s) for rescan",
                    version.get().dbVersion(), queued);
        }
        return queued;
    }
}
