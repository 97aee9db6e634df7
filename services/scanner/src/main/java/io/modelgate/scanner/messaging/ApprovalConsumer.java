package io.modelgate.scanner.messaging;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import io.modelgate.events.ModelApproved;
import io.modelgate.events.ModelRevoked;
import io.modelgate.platform.messaging.EventHandlers;
import io.modelgate.platform.messaging.EventProcessor;
import io.modelgate.scanner.domain.ApprovedModel;
import io.modelgate.scanner.persistence.ApprovedModelRepository;
import io.smallrye.common.annotation.Blocking;

/**
 * Keeps the set of approved model versions and their digests, which are rescanned when the vulnerability database
 * updates. One record at a time in topic order, so a revocation always follows its approval.
 */
@ApplicationScoped
public class ApprovalConsumer {

    static final String CONSUMER = "scanner";

    private final EventProcessor processor;
    private final ApprovedModelRepository approved;
    private final EventHandlers handlers;

    public ApprovalConsumer(EventProcessor processor, ApprovedModelRepository approved) {
        this.processor = processor;
        this.approved = approved;
        this.handlers = EventHandlers.builder()
                .on(ModelApproved.class, this::approved)
                .on(ModelRevoked.class, this::revoked)
                .build();
    }

    @Incoming("approval-models")
    @Blocking
    public void consume(ConsumerRecord<String, byte[]> record) {
        processor.process(CONSUMER, record, handlers);
    }

    void approved(ModelApproved event) {
        ApprovedModel model = approved.findById(event.versionId());
        boolean first = model == null;
        if (first) {
            model = new ApprovedModel();
            model.versionId = event.versionId();
        }
        model.digest = event.image().digest();
        model.approvedAt = event.occurredAt();
        if (first) {
            approved.persist(model);
        }
    }

    void revoked(ModelRevoked event) {
        approved.deleteById(event.versionId());
    }
}
