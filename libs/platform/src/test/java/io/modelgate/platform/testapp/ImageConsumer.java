package io.modelgate.platform.testapp;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import io.modelgate.events.RegistryImageDiscovered;
import io.modelgate.platform.messaging.EventHandlers;
import io.modelgate.platform.messaging.EventProcessor;
import io.smallrye.common.annotation.Blocking;

/**
 * Test-only consumer, in batches: applies each discovery as one row, and fails on demand to exercise retries and the
 * DLQ.
 */
@ApplicationScoped
public class ImageConsumer {

    public static final String NAME = "platform-test";

    /** Digest → how many more times its handler should fail. */
    public static final Map<String, AtomicInteger> FAILURES = new ConcurrentHashMap<>();

    private final EventProcessor processor;
    private final EntityManager entityManager;
    private final EventHandlers handlers;

    public ImageConsumer(EventProcessor processor, EntityManager entityManager) {
        this.processor = processor;
        this.entityManager = entityManager;
        this.handlers = EventHandlers.builder().on(RegistryImageDiscovered.class, this::apply).build();
    }

    @Incoming("images")
    @Blocking
    public void consume(ConsumerRecords<String, byte[]> records) {
        processor.processBatch(NAME, records, handlers);
    }

    public EventHandlers handlers() {
        return handlers;
    }

    void apply(RegistryImageDiscovered event) {
        String digest = event.image().digest();
        // Write first, then fail: proves the effect rolls back with the failed attempt.
        entityManager.createNativeQuery("insert into test_effect (event_id, digest) values (?1, ?2)")
                .setParameter(1, event.eventId())
                .setParameter(2, digest)
                .executeUpdate();
        AtomicInteger remaining = FAILURES.get(digest);
        if (remaining != null && remaining.getAndDecrement() > 0) {
            throw new IllegalStateException("Injected failure for " + digest);
        }
    }
}
