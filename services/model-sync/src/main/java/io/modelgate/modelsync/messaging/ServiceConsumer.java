package io.modelgate.modelsync.messaging;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import io.modelgate.events.ServiceDeregistered;
import io.modelgate.events.ServiceRegistered;
import io.modelgate.modelsync.domain.ModelSync;
import io.modelgate.platform.messaging.EventHandlers;
import io.modelgate.platform.messaging.EventProcessor;
import io.smallrye.common.annotation.Blocking;

/**
 * Applies registrations and deregistrations from serving to every target as they happen. One record at a time
 * ({@code @Blocking}, ordered per service id), each in its own transaction with the inbox via {@link EventProcessor};
 * a target that is down is recorded as failed for the event and left to the reconcile cycle, never dead-lettered.
 */
@ApplicationScoped
public class ServiceConsumer {

    static final String CONSUMER = "model-sync";

    private final EventProcessor processor;
    private final EventHandlers handlers;

    public ServiceConsumer(EventProcessor processor, ModelSync sync) {
        this.processor = processor;
        this.handlers = EventHandlers.builder()
                .on(ServiceRegistered.class, sync::onRegistered)
                .on(ServiceDeregistered.class, sync::onDeregistered)
                .build();
    }

    @Incoming("serving-services")
    @Blocking
    public void consume(ConsumerRecord<String, byte[]> record) {
        processor.process(CONSUMER, record, handlers);
    }
}
