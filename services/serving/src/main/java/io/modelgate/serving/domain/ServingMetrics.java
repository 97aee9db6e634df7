package io.modelgate.serving.domain;

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
 * Publishes how many deployments ({@code modelgate.serving.deployments{status}}) and external services
 * ({@code modelgate.serving.external.services{status}}, {@code modelgate.serving.external.health{health}}) are in each
 * state. Counted in the database, so the figure is right whichever instance is scraped; one round of queries serves
 * every series for a few seconds, so a scrape never costs more than that.
 */
@ApplicationScoped
public class ServingMetrics {

    private static final Duration MAX_AGE = Duration.ofSeconds(5);

    private final EntityManager entityManager;
    private Counts counts = new Counts(Map.of(), Map.of(), Map.of());
    private long countedAt;
    private boolean counted;

    private record Counts(Map<Phase, Long> deployments, Map<Phase, Long> externals, Map<Health, Long> health) {
    }

    public ServingMetrics(EntityManager entityManager) {
        this.entityManager = entityManager;
    }

    void register(@Observes StartupEvent startup, MeterRegistry meters) {
        for (Phase phase : Phase.values()) {
            Gauge.builder("modelgate.serving.deployments", this, metrics -> metrics.counts()
                    .deployments()
                    .getOrDefault(phase, 0L))
                    .description("Deployments (KServe InferenceServices of approved models) by status")
                    .tag("status", phase.name())
                    .register(meters);
            Gauge.builder("modelgate.serving.external.services", this, metrics -> metrics.counts()
                    .externals()
                    .getOrDefault(phase, 0L))
                    .description("External inference services behind the managed proxy by status")
                    .tag("status", phase.name())
                    .register(meters);
        }
        for (Health health : Health.values()) {
            Gauge.builder("modelgate.serving.external.health", this, metrics -> metrics.counts()
                    .health()
                    .getOrDefault(health, 0L))
                    .description("External inference services by the provider health last checked")
                    .tag("health", health.name())
                    .register(meters);
        }
    }

    synchronized Counts counts() {
        if (!counted || System.nanoTime() - countedAt > MAX_AGE.toNanos()) {
            counts = QuarkusTransaction.requiringNew()
                    .call(() -> new Counts(
                            byKey("select d.state.phase, count(d) from Deployment d group by d.state.phase",
                                    Phase.class),
                            byKey("select e.state.phase, count(e) from ExternalService e group by e.state.phase",
                                    Phase.class),
                            byKey("select e.health, count(e) from ExternalService e group by e.health",
                                    Health.class)));
            countedAt = System.nanoTime();
            counted = true;
        }
        return counts;
    }

    private <K extends Enum<K>> Map<K, Long> byKey(String query, Class<K> type) {
        Map<K, Long> result = new EnumMap<>(type);
        List<Object[]> rows = entityManager.createQuery(query, Object[].class).getResultList();
        for (Object[] row : rows) {
            if (row[0] != null) {
                result.put(type.cast(row[0]), (Long) row[1]);
            }
        }
        return result;
    }
}
