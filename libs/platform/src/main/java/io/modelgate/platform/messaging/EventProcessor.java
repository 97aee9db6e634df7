package io.modelgate.platform.messaging;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.jboss.logging.Logger;

import io.micrometer.core.instrument.MeterRegistry;
import io.modelgate.events.EventFormatException;
import io.modelgate.events.EventJson;
import io.modelgate.events.EventType;
import io.modelgate.events.EventTypes;
import io.modelgate.events.ModelgateEvent;
import io.modelgate.platform.config.MessagingConfig;
import io.modelgate.platform.inbox.Inbox;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * Applies one consumed record exactly once: decodes it by its CloudEvents type, then, in one transaction per attempt,
 * records it in the inbox and runs the handler. Redeliveries are skipped; failures are retried with backoff and then
 * dead-lettered; unreadable or unknown records are dead-lettered at once. Every {@code @Incoming} method of every
 * service delegates here, one record at a time or, where throughput matters, one polled batch at a time.
 */
@ApplicationScoped
public class EventProcessor {

    private static final Logger LOG = Logger.getLogger(EventProcessor.class);

    /** What happened to a record. */
    public enum Outcome {
        PROCESSED, DUPLICATE, DEAD_LETTERED
    }

    private final Inbox inbox;
    private final DeadLetters deadLetters;
    private final MessagingConfig config;
    private final Tracer tracer;
    private final MeterRegistry meters;
    private final EntityManager entityManager;

    public EventProcessor(Inbox inbox, DeadLetters deadLetters, MessagingConfig config, OpenTelemetry openTelemetry,
            MeterRegistry meters, EntityManager entityManager) {
        this.inbox = inbox;
        this.deadLetters = deadLetters;
        this.config = config;
        this.tracer = openTelemetry.getTracer("io.modelgate.platform.messaging");
        this.meters = meters;
        this.entityManager = entityManager;
    }

    /**
     * Processes {@code record} for {@code consumer} (the name in the inbox and in the dead-letter topic). Returns
     * normally once the record is applied, skipped or dead-lettered, so the caller's acknowledgement is correct; throws
     * only if even the dead-letter write failed, so that the record is redelivered rather than lost.
     */
    public Outcome process(String consumer, ConsumerRecord<String, byte[]> record, EventHandlers handlers) {
        String ceType = CloudEventHeaders.get(record.headers(), CloudEventHeaders.TYPE).orElse(null);
        Span span = span(consumer, record, ceType);
        try (Scope scope = span.makeCurrent()) {
            Outcome outcome = processInSpan(consumer, record, ceType, handlers, span);
            count(consumer, ceType, outcome);
            return outcome;
        } finally {
            span.end();
        }
    }

    /**
     * Processes the records of one poll for {@code consumer} in a single transaction: each record is still recorded in
     * the inbox and handled on its own, but the commit (and its disk flush) is shared, which is what bounds a consumer's
     * throughput. Records that cannot be decoded are dead-lettered first. If any record of the batch fails, the whole
     * batch rolls back and every record is processed again alone by {@link #process}, with its own retries and
     * dead-lettering, so one bad record never holds back or duplicates the others. Order within a partition is kept.
     */
    public List<Outcome> processBatch(String consumer, ConsumerRecords<String, byte[]> records,
            EventHandlers handlers) {
        List<ConsumerRecord<String, byte[]>> list = new ArrayList<>(records.count());
        records.forEach(list::add);
        return processBatch(consumer, list, handlers);
    }

    /** {@link #processBatch(String, ConsumerRecords, EventHandlers)} for records in the order given. */
    public List<Outcome> processBatch(String consumer, List<ConsumerRecord<String, byte[]>> records,
            EventHandlers handlers) {
        if (records.size() <= 1) {
            return records.stream().map(record -> process(consumer, record, handlers)).toList();
        }
        meters.summary("modelgate.consumer.batch.size", "consumer", consumer).record(records.size());
        Outcome[] outcomes = new Outcome[records.size()];
        List<Integer> decodedAt = new ArrayList<>();
        List<ModelgateEvent> events = new ArrayList<>();
        for (int i = 0; i < records.size(); i++) {
            ConsumerRecord<String, byte[]> record = records.get(i);
            String ceType = CloudEventHeaders.get(record.headers(), CloudEventHeaders.TYPE).orElse(null);
            try {
                events.add(decode(record, ceType, handlers));
                decodedAt.add(i);
            } catch (PoisonEventException e) {
                // The single-record path decodes it again and dead-letters it with its span and metrics.
                outcomes[i] = process(consumer, record, handlers);
            }
        }
        List<Span> spans = new ArrayList<>(events.size());
        try {
            boolean[] applied = QuarkusTransaction.requiringNew().call(() -> {
                boolean[] result = new boolean[events.size()];
                for (int j = 0; j < events.size(); j++) {
                    ConsumerRecord<String, byte[]> record = records.get(decodedAt.get(j));
                    ModelgateEvent event = events.get(j);
                    Span span = span(consumer, record, EventTypes.of(event.getClass()).type())
                            .setAttribute("messaging.message.id", event.eventId().toString())
                            .setAttribute("messaging.batch.message_count", events.size());
                    spans.add(span);
                    try (Scope scope = span.makeCurrent()) {
                        result[j] = inbox.record(consumer, event.eventId(), EventTypes.of(event.getClass()).type());
                        if (result[j]) {
                            handlers.dispatch(event);
                            // Write this record's changes and forget its entities: otherwise every query of a later
                            // record would dirty-check all entities of the batch so far, making a batch quadratic.
                            entityManager.flush();
                            entityManager.clear();
                        }
                    }
                }
                return result;
            });
            spans.forEach(Span::end);
            for (int j = 0; j < events.size(); j++) {
                Outcome outcome = applied[j] ? Outcome.PROCESSED : Outcome.DUPLICATE;
                outcomes[decodedAt.get(j)] = outcome;
                count(consumer, EventTypes.of(events.get(j).getClass()).type(), outcome);
            }
        } catch (RuntimeException e) {
            for (Span span : spans) {
                span.setStatus(StatusCode.ERROR, "batch rolled back; the record is processed again alone");
                span.end();
            }
            LOG.debugf("%s: batch of %d rolled back (%s); processing its records one at a time", consumer,
                    events.size(), unwrap(e).toString());
            meters.counter("modelgate.consumer.batch.fallbacks", "consumer", consumer).increment();
            for (int index : decodedAt) {
                outcomes[index] = process(consumer, records.get(index), handlers);
            }
        }
        return Arrays.asList(outcomes);
    }

    private Span span(String consumer, ConsumerRecord<String, byte[]> record, String ceType) {
        Context parent = TraceContext.extract(
                CloudEventHeaders.get(record.headers(), CloudEventHeaders.TRACEPARENT).orElse(null),
                CloudEventHeaders.get(record.headers(), CloudEventHeaders.TRACESTATE).orElse(null));
        return tracer.spanBuilder(record.topic() + " process")
                .setParent(parent)
                .setSpanKind(SpanKind.CONSUMER)
                .setAttribute("messaging.system", "kafka")
                .setAttribute("messaging.operation", "process")
                .setAttribute("messaging.destination.name", record.topic())
                .setAttribute("messaging.consumer.group.name", consumer)
                .setAttribute("messaging.kafka.message.offset", record.offset())
                .setAttribute("messaging.kafka.message.key", String.valueOf(record.key()))
                .setAttribute("cloudevents.event_type", String.valueOf(ceType))
                .startSpan();
    }

    private Outcome processInSpan(String consumer, ConsumerRecord<String, byte[]> record, String ceType,
            EventHandlers handlers, Span span) {
        ModelgateEvent event;
        try {
            event = decode(record, ceType, handlers);
        } catch (PoisonEventException e) {
            return deadLetter(consumer, record, e.reason(), e, 0, span);
        }
        span.setAttribute("messaging.message.id", event.eventId().toString());
        EventType<?> type = EventTypes.of(event.getClass());
        int maxAttempts = Math.max(1, config.consumer().maxAttempts());
        for (int attempt = 1;; attempt++) {
            try {
                boolean applied = QuarkusTransaction.requiringNew().call(() -> {
                    if (!inbox.record(consumer, event.eventId(), type.type())) {
                        return false;
                    }
                    handlers.dispatch(event);
                    return true;
                });
                return applied ? Outcome.PROCESSED : Outcome.DUPLICATE;
            } catch (RuntimeException e) {
                Throwable cause = unwrap(e);
                if (cause instanceof PoisonEventException poison) {
                    return deadLetter(consumer, record, poison.reason(), poison, attempt, span);
                }
                if (attempt >= maxAttempts) {
                    return deadLetter(consumer, record, DeadLetterReason.PROCESSING_FAILED, cause, attempt, span);
                }
                LOG.warnf("%s: attempt %d/%d for event %s (%s) failed, retrying: %s", consumer, attempt, maxAttempts,
                        event.eventId(), type.type(), cause.toString());
                meters.counter("modelgate.consumer.retries", "consumer", consumer, "type", type.type()).increment();
                sleep(backoff(attempt));
            }
        }
    }

    private ModelgateEvent decode(ConsumerRecord<String, byte[]> record, String ceType, EventHandlers handlers) {
        if (ceType == null) {
            throw new PoisonEventException(DeadLetterReason.UNKNOWN_TYPE, "The record has no ce_type header");
        }
        if (EventTypes.byType(ceType).isEmpty()) {
            throw new PoisonEventException(DeadLetterReason.UNKNOWN_TYPE, "Unknown event type " + ceType);
        }
        EventType<?> type = handlers.typeFor(ceType);
        if (type == null) {
            throw new PoisonEventException(DeadLetterReason.UNKNOWN_TYPE, "This consumer does not handle " + ceType);
        }
        if (record.value() == null) {
            throw new PoisonEventException(DeadLetterReason.UNPARSEABLE, "The record has no value");
        }
        ModelgateEvent event;
        try {
            event = EventJson.read(record.value(), type.javaType());
        } catch (EventFormatException e) {
            throw new PoisonEventException(DeadLetterReason.UNPARSEABLE,
                    "Not a valid " + ceType + " payload: " + rootMessage(e), e);
        }
        if (event.schemaVersion() != type.version()) {
            throw new PoisonEventException(DeadLetterReason.UNSUPPORTED_VERSION,
                    ceType + " with schema version " + event.schemaVersion() + "; this consumer reads "
                            + type.version());
        }
        String ceId = CloudEventHeaders.get(record.headers(), CloudEventHeaders.ID).orElse(null);
        if (ceId != null && !sameId(ceId, event.eventId())) {
            throw new PoisonEventException(DeadLetterReason.UNPARSEABLE,
                    "ce_id " + ceId + " does not match the payload's eventId " + event.eventId());
        }
        return event;
    }

    private static boolean sameId(String ceId, UUID eventId) {
        try {
            return UUID.fromString(ceId).equals(eventId);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private Outcome deadLetter(String consumer, ConsumerRecord<String, byte[]> record, DeadLetterReason reason,
            Throwable error, int attempts, Span span) {
        LOG.errorf("%s: record %s-%d@%d goes to the dead-letter topic (%s): %s", consumer, record.topic(),
                record.partition(), record.offset(), reason, error.getMessage());
        span.setStatus(StatusCode.ERROR, reason.name());
        deadLetters.send(consumer, record, reason, error, attempts);
        return Outcome.DEAD_LETTERED;
    }

    private void count(String consumer, String ceType, Outcome outcome) {
        meters.counter("modelgate.consumer.events", "consumer", consumer, "type", String.valueOf(ceType), "outcome",
                outcome.name().toLowerCase()).increment();
    }

    private Duration backoff(int attempt) {
        long initial = config.consumer().initialBackoff().toMillis();
        long max = config.consumer().maxBackoff().toMillis();
        long delay = initial << Math.min(attempt - 1, 20);
        return Duration.ofMillis(Math.min(delay, max));
    }

    private static Throwable unwrap(Throwable e) {
        Throwable current = e;
        while (current.getCause() != null && current != current.getCause()
                && (current instanceof io.quarkus.narayana.jta.QuarkusTransactionException
                        || current.getClass().getName().startsWith("jakarta.transaction"))) {
            current = current.getCause();
        }
        return current;
    }

    private static String rootMessage(Throwable e) {
        Throwable current = e;
        while (current.getCause() != null && current.getCause() != current) {
            current = current.getCause();
        }
        String message = String.valueOf(current.getMessage());
        // Jackson appends the whole source document; keep only the first line.
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted between attempts", e);
        }
    }
}
