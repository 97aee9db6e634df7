package io.modelgate.approval.domain;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import jakarta.transaction.Transactional.TxType;

import io.modelgate.events.ModelgateEvent;
import io.modelgate.platform.outbox.Outbox;
import io.modelgate.platform.outbox.Outbox.StoredTrace;

/**
 * Keeps one trace per image through approval: remembers the trace of the scan on the version, and publishes a
 * version's events in that trace even when a person's request (a trace of its own) decided it.
 */
@ApplicationScoped
public class VersionTrace {

    /** The span that carries a decision taken outside the image's trace into it. */
    static final String DECIDED_SPAN = "approval decided";

    private final Outbox outbox;

    public VersionTrace(Outbox outbox) {
        this.outbox = outbox;
    }

    /** Stores the current trace context (the scan's consumer span) on {@code version}; keeps the old one if none. */
    public static void remember(ModelVersion version) {
        StoredTrace trace = StoredTrace.current();
        if (trace != null) {
            version.traceparent = trace.traceparent();
            version.tracestate = trace.tracestate();
        }
    }

    /** Publishes {@code event} about {@code version} through the outbox, in the version's trace. */
    @Transactional(TxType.MANDATORY)
    public void publish(ModelVersion version, String topic, String key, ModelgateEvent event) {
        outbox.publishInTrace(topic, key, event,
                version.traceparent == null ? null : new StoredTrace(version.traceparent, version.tracestate),
                DECIDED_SPAN);
    }
}
