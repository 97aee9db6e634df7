package io.modelgate.approval.messaging;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import io.modelgate.approval.domain.ScanIntake;
import io.modelgate.events.ScanCompleted;
import io.modelgate.platform.messaging.EventHandlers;
import io.modelgate.platform.messaging.EventProcessor;
import io.smallrye.common.annotation.Blocking;

/**
 * Brings every scan into the Model Library and has the active policy decide on it. Each poll's records are applied in
 * order (per digest) in one transaction by {@link EventProcessor#processBatch}, each with its inbox entry, so a
 * redelivered scan changes nothing twice, its events leave through the outbox only if its state change commits, and
 * the commit cost is shared by the batch; a failing record rolls the batch back and is retried alone.
 */
@ApplicationScoped
public class ScanConsumer {

    static final String CONSUMER = "approval";

    private final EventProcessor processor;
    private final ScanIntake intake;
    private final EventHandlers handlers;

    public ScanConsumer(EventProcessor processor, ScanIntake intake) {
        this.processor = processor;
        this.intake = intake;
        this.handlers = EventHandlers.builder().on(ScanCompleted.class, this::onScan).build();
    }

    @Incoming("scans")
    @Blocking
    public void consume(ConsumerRecords<String, byte[]> records) {
        processor.processBatch(CONSUMER, records, handlers);
    }

    void onScan(ScanCompleted event) {
        intake.record(event);
    }
}
