package io.modelgate.serving.domain;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import jakarta.transaction.Transactional.TxType;

import io.modelgate.events.ModelgateEvent;
import io.modelgate.platform.outbox.Outbox;
import io.modelgate.platform.outbox.Outbox.StoredTrace;

/**
 * Keeps one trace per image through serving: remembers the trace ModelApproved arrived in on the approved version,
 * and publishes the announcements of its deployments in that trace, although the status watch (no trace) or another
 * request (a trace of its own) writes them.
 */
@ApplicationScoped
public class ApprovalTrace {

    /** The span that carries an announcement made outside the image's trace into it. */
    static final String ANNOUNCED_SPAN = "service announced";

    private final Outbox outbox;

    public ApprovalTrace(Outbox outbox) {
        this.outbox = outbox;
    }

    /** Stores the current trace context (ModelApproved's consumer span) on {@code version}; keeps the old if none. */
    public static void remember(ApprovedVersion version) {
        StoredTrace trace = StoredTrace.current();
        if (trace != null) {
            version.traceparent = trace.traceparent();
            version.tracestate = trace.tracestate();
        }
    }

    /** Publishes {@code event} about a deployment of {@code version} through the outbox, in the version's trace. */
    @Transactional(TxType.MANDATORY)
    public void publish(ApprovedVersion version, String topic, String key, ModelgateEvent event) {
        outbox.publishInTrace(topic, key, event,
                version == null || version.traceparent == null
                        ? null
                        : new StoredTrace(version.traceparent, version.tracestate),
                ANNOUNCED_SPAN);
    }
}
