package io.modelgate.scanner.domain;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.modelgate.scanner.client.trivy.TrivyVersion;
import io.quarkus.scheduler.Scheduled;

/**
 * Checks the vulnerability database on a schedule (first at startup) and queues rescans of the approved digests last
 * scanned against an older one, so approval learns of CVEs published since it approved.
 */
@ApplicationScoped
public class DatabaseWatcher {

    private static final Logger LOG = Logger.getLogger(DatabaseWatcher.class);

    private final TrivyDatabase database;
    private final ScanService scans;

    public DatabaseWatcher(TrivyDatabase database, ScanService scans) {
        this.database = database;
        this.scans = scans;
    }

    @Scheduled(every = "${modelgate.scanner.trivy.db-check-interval:15m}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        check();
    }

    /** Checks now; returns how many rescans were queued. */
    public int check() {
        Optional<TrivyVersion> version = database.refresh();
        String dbVersion = version.map(TrivyVersion::dbVersion).orElse(null);
        if (dbVersion == null) {
            return 0;
        }
        int queued = scans.queueApprovedRescans(dbVersion);
        if (queued > 0) {
            LOG.infof("Vulnerability database %s: queued %d approved digest(s) for rescan", dbVersion, queued);
        }
        return queued;
    }
}
