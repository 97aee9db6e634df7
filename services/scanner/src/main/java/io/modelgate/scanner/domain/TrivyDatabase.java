package io.modelgate.scanner.domain;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.modelgate.scanner.client.trivy.TrivyClient;
import io.modelgate.scanner.client.trivy.TrivyException;
import io.modelgate.scanner.client.trivy.TrivyVersion;

/**
 * The Trivy version and vulnerability database last seen, held in memory so the cache can be consulted without
 * starting a process; refreshed by {@link DatabaseWatcher} (and before the first scan).
 */
@ApplicationScoped
public class TrivyDatabase {

    private static final Logger LOG = Logger.getLogger(TrivyDatabase.class);

    private final TrivyClient trivy;
    private final AtomicReference<TrivyVersion> current = new AtomicReference<>();

    public TrivyDatabase(TrivyClient trivy) {
        this.trivy = trivy;
    }

    /** Asks Trivy again; on failure keeps what was known, since a scan's result does not depend on it. */
    public Optional<TrivyVersion> refresh() {
        try {
            current.set(trivy.version());
        } catch (TrivyException e) {
            LOG.warnf("Could not read Trivy's version: %s", e.getMessage());
        }
        return current();
    }

    public Optional<TrivyVersion> current() {
        return Optional.ofNullable(current.get());
    }

    /** The database version now, or null when unknown (then nothing is answered from cache). */
    public String dbVersion() {
        TrivyVersion version = current.get();
        return version == null ? null : version.dbVersion();
    }
}
