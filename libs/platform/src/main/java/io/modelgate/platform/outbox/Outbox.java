package io.modelgate.platform.outbox;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import jakarta.transaction.Transactional;
import jakarta.transaction.Transactional.TxType;

import io.modelgate.events.EventJson;
import io.modelgate.events.EventType;
import io.modelgate.events.EventTypes;
import io.modelgate.events.ModelgateEvent;
import io.modelgate.platform.messaging.CloudEventHeaders;
import io.modelgate.platform.messaging.TraceContext;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;

/**
 * The only way a service emits an event: the event is written to the outbox table in the caller's transaction, so it
 * is published if and only if the state change commits.
 */
@ApplicationScoped
public class Outbox {

    private static final Object SIGNAL_REGISTERED = new Object();

    private final EntityManager entityManager;
    private final TransactionSynchronizationRegistry transactions;
    private final OutboxRelay relay;

    private final Tracer tracer;

    public Outbox(EntityManager entityManager, TransactionSynchronizationRegistry transactions, OutboxRelay relay,
            OpenTelemetry openTelemetry) {
        this.entityManager = entityManager;
        this.transactions = transactions;
        this.relay = relay;
        this.tracer = openTelemetry.getTracer("io.modelgate.platform.outbox");
    }

    /** A trace context kept with some state, so that a later event about that state continues its trace. */
    public record StoredTrace(String traceparent, String tracestate) {

        /** The current context, or null when there is no valid span (tracing off). */
        public static StoredTrace current() {
            Map<String, String> trace = TraceContext.inject(Context.current());
            String traceparent = trace.get(CloudEventHeaders.TRACEPARENT);
            return traceparent == null ? null : new StoredTrace(traceparent, trace.get(CloudEventHeaders.TRACESTATE));
        }
    }

    /**
     * {@link #publish} in the trace of {@code stored}: one trace per model, although the state changed in a request or
     * a watch of its own. Already in that trace, or with nothing stored, it publishes as is; otherwise inside a short
     * span named {@code spanName} whose parent is the stored context, linked both ways with the current span, so each
     * trace leads to the other.
     */
    @Transactional(TxType.MANDATORY)
    public void publishInTrace(String topic, String key, ModelgateEvent event, StoredTrace stored, String spanName) {
        Context storedContext = stored == null
                ? Context.root()
                : TraceContext.extract(stored.traceparent(), stored.tracestate());
        SpanContext image = Span.fromContext(storedContext).getSpanContext();
        Span caller = Span.current();
        if (!image.isValid() || image.getTraceId().equals(caller.getSpanContext().getTraceId())) {
            publish(topic, key, event);
            return;
        }
        SpanBuilder builder = tracer.spanBuilder(spanName)
                .setParent(storedContext)
                .setSpanKind(SpanKind.INTERNAL)
                .setAttribute("messaging.kafka.message.key", key)
                .setAttribute("cloudevents.event_type", EventTypes.of(event.getClass()).type());
        if (caller.getSpanContext().isValid()) {
            builder.addLink(caller.getSpanContext());
        }
        Span span = builder.startSpan();
        try (Scope scope = span.makeCurrent()) {
            publish(topic, key, event);
        } finally {
            span.end();
        }
        if (caller.getSpanContext().isValid() && span.getSpanContext().isValid()) {
            caller.addLink(span.getSpanContext());
        }
    }

    /**
     * Records {@code event} for publication to {@code topic} with {@code key}. Must run inside a transaction (a
     * {@code TransactionalException} otherwise): an event without the state change it announces must never leave.
     */
    @Transactional(TxType.MANDATORY)
    public void publish(String topic, String key, ModelgateEvent event) {
        EventType<?> type = EventTypes.of(event.getClass());
        if (!type.topic().equals(topic)) {
            throw new IllegalArgumentException(
                    type.type() + " belongs on topic " + type.topic() + ", not on " + topic);
        }
        if (key == null || key.isBlank()) {
            throw new IllegalArgumentException("A record key is required: it decides the partition and so the order");
        }
        OutboxEvent row = new OutboxEvent();
        row.id = event.eventId();
        row.topic = topic;
        row.recordKey = key;
        row.eventType = type.type();
        row.payload = new String(EventJson.write(event), StandardCharsets.UTF_8);
        Map<String, String> trace = TraceContext.inject(Context.current());
        row.traceparent = trace.get(CloudEventHeaders.TRACEPARENT);
        row.tracestate = trace.get(CloudEventHeaders.TRACESTATE);
        row.occurredAt = event.occurredAt();
        row.createdAt = Instant.now();
        entityManager.persist(row);
        signalRelayAfterCommit();
    }

    private void signalRelayAfterCommit() {
        if (transactions.getResource(SIGNAL_REGISTERED) != null) {
            return;
        }
        transactions.putResource(SIGNAL_REGISTERED, Boolean.TRUE);
        transactions.registerInterposedSynchronization(new Synchronization() {
            @Override
            public void beforeCompletion() {
            }

            @Override
            public void afterCompletion(int status) {
                if (status == Status.STATUS_COMMITTED) {
                    relay.signal();
                }
            }
        });
    }
}
