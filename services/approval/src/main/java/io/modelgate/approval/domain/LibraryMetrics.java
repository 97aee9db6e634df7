package io.modelgate.approval.domain;

import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.EntityManager;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;

/**
 * Publishes how many versions are in each state ({@code modelgate_approval_versions{state=...}}), approvals pending
 * among them. Counted in the database, so the figure is right whichever instance is scraped; one query serves all
 * states for a few seconds, so a scrape never costs more than that.
 */
@ApplicationScoped
public class LibraryMetrics {

    private static final Duration MAX_AGE = Duration.ofSeconds(5);

    private final EntityManager entityManager;
    private Map<VersionState, Long> counts = new EnumMap<>(VersionState.class);
    private long countedAt;
    private boolean counted;

    public LibraryMetrics(EntityManager entityManager) {
        this.entityManager = entityManager;
    }

    void register(@Observes StartupEvent startup, MeterRegistry meters) {
        for (VersionState state : VersionState.values()) {
            Gauge.builder("modelgate.approval.versions", this, metrics -> metrics.count(state))
                    .description("Model versions in the library by state")
                    .tag("state", state.name())
                    .register(meters);
        }
    }

    synchronized double count(VersionState state) {
        if (!counted || System.nanoTime() - countedAt > MAX_AGE.toNanos()) {
            Map<VersionState, Long> fresh = new EnumMap<>(VersionState.class);
            List<Object[]> rows = QuarkusTransaction.requiringNew()
                    .call(() -> entityManager
                            .createQuery("select v.state, count(v) from ModelVersion v group by v.state",
                                    Object[].class)
                            .getResultList());
            for (Object[] row : rows) {
                fresh.put((VersionState) row[0], (Long) row[1]);
            }
            counts = fresh;
            countedAt = System.nanoTime();
            counted = true;
        }
        return counts.getOrDefault(state, 0L);
    }
}
