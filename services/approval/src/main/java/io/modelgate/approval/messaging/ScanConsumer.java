package io.modelgate.approval.messaging;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import io.modelgate.approval.domain.ScanIntake;
import io.modelgate.events.ScanCompleted;
import io.modelgate.platform.messaging.EventHandlers;
import io.modelgate.platform.messaging.EventProcessor;
import io.smallrye.common.annotation.Blocking;

/**
 * Brings every scan into the Model Library and has the active policy decide on it. One record at a time
 * ({@code @Blocking}, ordered per digest), each applied in its own transaction with the inbox by
 * {@link EventProcessor}, so a redelivered scan changes nothing twice and its events leave through the outbox only if
 * its state change commits.
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
    public void consume(ConsumerRecord<String, byte[]> record) {
        processor.process(CONSUMER, record, handlers);
    }

    void onScan(ScanCompleted event) {
        intake.record(event);
    }
}
