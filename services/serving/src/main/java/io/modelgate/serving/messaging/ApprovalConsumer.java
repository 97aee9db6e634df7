package io.modelgate.serving.messaging;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import io.modelgate.events.ModelApproved;
import io.modelgate.events.ModelRevoked;
import io.modelgate.platform.messaging.EventHandlers;
import io.modelgate.platform.messaging.EventProcessor;
import io.modelgate.serving.domain.ApprovedSet;
import io.modelgate.serving.domain.Deployments;
import io.smallrye.common.annotation.Blocking;

/**
 * Keeps the approved set from {@code ModelApproved} and {@code ModelRevoked}, and takes the deployments of a revoked
 * digest out of service. One record at a time in topic order, so a revocation always follows its approval.
 */
@ApplicationScoped
public class ApprovalConsumer {

    static final String CONSUMER = "serving";

    private final EventProcessor processor;
    private final ApprovedSet approved;
    private final Deployments deployments;
    private final EventHandlers handlers;

    public ApprovalConsumer(EventProcessor processor, ApprovedSet approved, Deployments deployments) {
        this.processor = processor;
        this.approved = approved;
        this.deployments = deployments;
        this.handlers = EventHandlers.builder()
                .on(ModelApproved.class, this::onApproved)
                .on(ModelRevoked.class, this::onRevoked)
                .build();
    }

    @Incoming("approval-models")
    @Blocking
    public void consume(ConsumerRecord<String, byte[]> record) {
        processor.process(CONSUMER, record, handlers);
    }

    void onApproved(ModelApproved event) {
        approved.approved(event);
    }

    void onRevoked(ModelRevoked event) {
        if (approved.revoked(event)) {
            deployments.revoked(event);
        }
    }
}
