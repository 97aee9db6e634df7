package io.modelgate.platform.outbox;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.EntityManager;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Headers;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.modelgate.platform.config.MessagingConfig;
import io.modelgate.platform.messaging.CloudEventHeaders;
import io.modelgate.platform.messaging.EventProducer;
import io.modelgate.platform.messaging.TraceContext;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * Publishes outbox rows to Kafka: right after the writing transaction commits (a signal from {@link Outbox}), and on a
 * periodic sweep that picks up whatever a crash or an unreachable broker left behind. A row is marked published only
 * after Kafka acknowledged it ({@code acks=all}), so delivery is at least once; inboxes make it effectively once.
 */
@ApplicationScoped
public class OutboxRelay {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);
    /** Advisory lock key: one publishing instance per service database keeps per-key order across instances. */
    private static final long LOCK_KEY = 0x6d6f64656c676174L;
    private static final Duration CLEANUP_EVERY = Duration.ofHours(1);

    private final EntityManager entityManager;
    private final EventProducer producer;
    private final MessagingConfig config;
    private final Tracer tracer;
    private final String source;
    private final Semaphore wakeups = new Semaphore(0);
    private final AtomicLong pending = new AtomicLong();
    private final Counter published;
    private final Counter failed;
    private final Timer lag;

    private volatile boolean running;
    private volatile boolean paused;
    private Thread worker;
    private Instant nextCleanup = Instant.now();
    private long lastHousekeeping = System.nanoTime();

    public OutboxRelay(EntityManager entityManager, EventProducer producer, MessagingConfig config,
            OpenTelemetry openTelemetry, MeterRegistry meters,
            @ConfigProperty(name = "quarkus.application.name") String applicationName) {
        this.entityManager = entityManager;
        this.producer = producer;
        this.config = config;
        this.tracer = openTelemetry.getTracer("io.modelgate.platform.outbox");
        this.source = "/modelgate/" + applicationName;
        this.published = meters.counter("modelgate.outbox.published");
        this.failed = meters.counter("modelgate.outbox.failed");
        this.lag = Timer.builder("modelgate.outbox.lag")
                .description("Time from the outbox write to Kafka's acknowledgement")
                .publishPercentiles(0.5, 0.99)
                .register(meters);
        meters.gauge("modelgate.outbox.pending", pending);
    }

    void start(@Observes StartupEvent event) {
        if (!config.outbox().relayEnabled()) {
            LOG.info("Outbox relay disabled on this instance");
            return;
        }
        running = true;
        worker = new Thread(this::run, "outbox-relay");
        worker.setDaemon(true);
        worker.start();
    }

    void stop(@Observes ShutdownEvent event) {
        running = false;
        wakeups.release();
        if (worker != null) {
            try {
                worker.join(TimeUnit.SECONDS.toMillis(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Asks the relay to publish now; called after a transaction with outbox rows commits. */
    public void signal() {
        wakeups.release();
    }

    /**
     * Stops publishing until {@link #resume()}; rows keep accumulating. For operations (draining a broker) and for
     * tests that prove crash recovery.
     */
    public void pause() {
        paused = true;
    }

    /** Publishing goes on at the next sweep; deliberately no signal, so a resume behaves like a restart after a crash. */
    public void resume() {
        paused = false;
    }

    /** Rows waiting for publication, as of the last sweep. */
    public long pending() {
        return pending.get();
    }

    private void run() {
        long sweepMillis = config.outbox().sweepInterval().toMillis();
        while (running) {
            try {
                wakeups.tryAcquire(sweepMillis, TimeUnit.MILLISECONDS);
                wakeups.drainPermits();
                if (!running) {
                    return;
                }
                if (paused) {
                    continue;
                }
                drain();
                // By the clock, not by missed signals: under steady traffic every wait ends in a signal.
                if (System.nanoTime() - lastHousekeeping >= TimeUnit.MILLISECONDS.toNanos(sweepMillis)) {
                    lastHousekeeping = System.nanoTime();
                    sweepHousekeeping();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                LOG.warnf("Outbox relay could not publish (will retry): %s", e.toString());
                sleep(Math.min(sweepMillis, 1000));
            }
        }
    }

    private void drain() {
        int batchSize = config.outbox().batchSize();
        int lockMisses = 0;
        while (running && !paused) {
            int sent = publishBatch(batchSize);
            if (sent < 0) {
                // Another instance holds the lock; it may finish before seeing our rows, so look again shortly.
                if (++lockMisses > 20) {
                    return;
                }
                sleep(50);
            } else if (sent < batchSize) {
                return;
            }
        }
    }

    /** Publishes one batch in one transaction; returns the rows sent, or -1 if another instance is publishing. */
    private int publishBatch(int batchSize) {
        return QuarkusTransaction.requiringNew().call(() -> {
            Object locked = entityManager.createNativeQuery("select pg_try_advisory_xact_lock(?1)")
                    .setParameter(1, LOCK_KEY)
                    .getSingleResult();
            if (!Boolean.TRUE.equals(locked)) {
                return -1;
            }
            @SuppressWarnings("unchecked")
            List<OutboxEvent> rows = entityManager.createNativeQuery(
                    "select * from outbox_event where published_at is null order by seq limit ?1", OutboxEvent.class)
                    .setParameter(1, batchSize)
                    .getResultList();
            if (rows.isEmpty()) {
                return 0;
            }
            List<Future<RecordMetadata>> acks = new ArrayList<>(rows.size());
            List<Span> spans = new ArrayList<>(rows.size());
            for (OutboxEvent row : rows) {
                Span span = startSpan(row);
                spans.add(span);
                acks.add(producer.producer().send(toRecord(row, Context.root().with(span))));
            }
            int ok = 0;
            // Topic and key of every failed row: a later row with the same key must wait for it, others need not.
            Set<String> failedKeys = new HashSet<>();
            for (int i = 0; i < rows.size(); i++) {
                OutboxEvent row = rows.get(i);
                Span span = spans.get(i);
                try {
                    acks.get(i).get();
                    if (failedKeys.contains(row.topic + '\u0000' + row.recordKey)) {
                        // Sent, but after a failed row with its key: leave it for the next pass, which republishes
                        // both in order (consumers' inboxes absorb the duplicate).
                        continue;
                    }
                    Instant now = Instant.now();
                    row.publishedAt = now;
                    lag.record(Duration.between(row.createdAt, now));
                    published.increment();
                    ok++;
                } catch (Exception e) {
                    Throwable cause = e.getCause() != null ? e.getCause() : e;
                    failedKeys.add(row.topic + '\u0000' + row.recordKey);
                    row.attempts++;
                    row.lastError = cause.toString();
                    failed.increment();
                    span.setStatus(StatusCode.ERROR, cause.getClass().getSimpleName());
                    LOG.warnf("Outbox event %s (%s) not published yet: %s", row.id, row.eventType, cause.toString());
                } finally {
                    span.end();
                }
            }
            return ok == rows.size() ? ok : 0;
        });
    }

    private Span startSpan(OutboxEvent row) {
        Context parent = TraceContext.extract(row.traceparent, row.tracestate);
        return tracer.spanBuilder(row.topic + " publish")
                .setParent(parent)
                .setSpanKind(SpanKind.PRODUCER)
                .setAttribute("messaging.system", "kafka")
                .setAttribute("messaging.operation", "publish")
                .setAttribute("messaging.destination.name", row.topic)
                .setAttribute("messaging.message.id", row.id.toString())
                // The key (a digest, a version id, a service id) makes a model's trace findable by it.
                .setAttribute("messaging.kafka.message.key", String.valueOf(row.recordKey))
                .setAttribute("cloudevents.event_type", row.eventType)
                .startSpan();
    }

    private ProducerRecord<String, byte[]> toRecord(OutboxEvent row, Context context) {
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(row.topic, row.recordKey,
                row.payload.getBytes(StandardCharsets.UTF_8));
        Headers headers = record.headers();
        CloudEventHeaders.put(headers, CloudEventHeaders.SPEC_VERSION, CloudEventHeaders.SPEC_VERSION_VALUE);
        CloudEventHeaders.put(headers, CloudEventHeaders.ID, row.id.toString());
        CloudEventHeaders.put(headers, CloudEventHeaders.TYPE, row.eventType);
        CloudEventHeaders.put(headers, CloudEventHeaders.SOURCE, source);
        CloudEventHeaders.put(headers, CloudEventHeaders.TIME, row.occurredAt.toString());
        CloudEventHeaders.put(headers, CloudEventHeaders.CONTENT_TYPE, CloudEventHeaders.JSON);
        // The producer span's context when tracing is on; the stored one unchanged when the SDK is a no-op.
        var trace = TraceContext.inject(context);
        CloudEventHeaders.put(headers, CloudEventHeaders.TRACEPARENT,
                trace.getOrDefault(CloudEventHeaders.TRACEPARENT, row.traceparent));
        CloudEventHeaders.put(headers, CloudEventHeaders.TRACESTATE,
                trace.getOrDefault(CloudEventHeaders.TRACESTATE, row.tracestate));
        return record;
    }

    private void sweepHousekeeping() {
        QuarkusTransaction.requiringNew().run(() -> {
            Number count = (Number) entityManager
                    .createNativeQuery("select count(*) from outbox_event where published_at is null")
                    .getSingleResult();
            pending.set(count.longValue());
            Instant now = Instant.now();
            if (now.isAfter(nextCleanup)) {
                nextCleanup = now.plus(CLEANUP_EVERY);
                int deleted = entityManager
                        .createNativeQuery("delete from outbox_event where published_at < ?1")
                        .setParameter(1, now.minus(config.outbox().retention()))
                        .executeUpdate();
                if (deleted > 0) {
                    LOG.debugf("Deleted %d published outbox rows past retention", deleted);
                }
            }
        });
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
