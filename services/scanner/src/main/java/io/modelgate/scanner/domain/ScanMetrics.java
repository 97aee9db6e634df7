package io.modelgate.scanner.domain;

import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.modelgate.events.Verdict;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;

/**
 * The scanner's domain metrics: verdicts announced ({@code modelgate.scanner.scans{verdict}}), how long a Trivy scan
 * took from claim to stored result ({@code modelgate.scanner.scan.duration{verdict}}) and the scans waiting or running
 * ({@code modelgate.scanner.queue.depth{status}}). The queue is counted in the shared database, so every instance
 * reports the same figure; one query serves both statuses for a few seconds, so a scrape costs at most that.
 */
@ApplicationScoped
public class ScanMetrics {

    static final String SCANS = "modelgate.scanner.scans";
    static final String DURATION = "modelgate.scanner.scan.duration";
    static final String QUEUE = "modelgate.scanner.queue.depth";

    private static final Duration MAX_AGE = Duration.ofSeconds(5);
    private static final List<ScanStatus> PENDING = List.of(ScanStatus.QUEUED, ScanStatus.RUNNING);

    private final EntityManager entityManager;
    private final TransactionSynchronizationRegistry transactions;
    private final Map<Verdict, Counter> verdicts = new EnumMap<>(Verdict.class);
    private final Map<Verdict, Timer> durations = new EnumMap<>(Verdict.class);
    private Map<ScanStatus, Long> depth = new EnumMap<>(ScanStatus.class);
    private long countedAt;
    private boolean counted;

    public ScanMetrics(EntityManager entityManager, TransactionSynchronizationRegistry transactions) {
        this.entityManager = entityManager;
        this.transactions = transactions;
    }

    /** At startup rather than on first use, so the queue gauge is there before the first scan. */
    void register(@Observes StartupEvent startup, MeterRegistry meters) {
        // Registered up front, so a verdict not seen yet reads 0 rather than missing (rate() needs the series).
        for (Verdict verdict : Verdict.values()) {
            verdicts.put(verdict, Counter.builder(SCANS)
                    .description("Scan results announced (ScanCompleted), by verdict; cache answers and rescans"
                            + " included")
                    .tag("verdict", verdict.name())
                    .register(meters));
            durations.put(verdict, Timer.builder(DURATION)
                    .description("Scans that ran Trivy: from the worker's claim to the stored result")
                    .tag("verdict", verdict.name())
                    .serviceLevelObjectives(Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofSeconds(15),
                            Duration.ofSeconds(30), Duration.ofMinutes(1), Duration.ofMinutes(2),
                            Duration.ofMinutes(5), Duration.ofMinutes(10), Duration.ofMinutes(20))
                    .register(meters));
        }
        for (ScanStatus status : PENDING) {
            Gauge.builder(QUEUE, this, metrics -> metrics.depth(status))
                    .description("Scans waiting for a worker (QUEUED) or being scanned (RUNNING)")
                    .tag("status", status.name())
                    .register(meters);
        }
    }

    /**
     * Counts {@code verdict} once the current transaction commits: a result rolled back was never announced (its
     * {@code ScanCompleted} is in the same transaction's outbox).
     */
    void announced(Verdict verdict) {
        transactions.registerInterposedSynchronization(new Synchronization() {
            @Override
            public void beforeCompletion() {
            }

            @Override
            public void afterCompletion(int status) {
                if (status == Status.STATUS_COMMITTED) {
                    verdicts.get(verdict).increment();
                }
            }
        });
    }

    /** Records a Trivy scan that ended in {@code verdict} after {@code elapsed}. */
    void scanned(Verdict verdict, Duration elapsed) {
        durations.get(verdict).record(elapsed);
    }

    synchronized double depth(ScanStatus status) {
        if (!counted || System.nanoTime() - countedAt > MAX_AGE.toNanos()) {
            Map<ScanStatus, Long> fresh = new EnumMap<>(ScanStatus.class);
            List<Object[]> rows = QuarkusTransaction.requiringNew()
                    .call(() -> entityManager
                            .createQuery("select s.status, count(s) from ImageScan s where s.status in :pending"
                                    + " group by s.status", Object[].class)
                            .setParameter("pending", PENDING)
                            .getResultList());
            for (Object[] row : rows) {
                fresh.put((ScanStatus) row[0], (Long) row[1]);
            }
            depth = fresh;
            countedAt = System.nanoTime();
            counted = true;
        }
        return depth.getOrDefault(status, 0L);
    }
}
