package io.modelgate.bench;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import io.modelgate.events.RegistryImageDiscovered;
import io.modelgate.platform.messaging.EventHandlers;
import io.modelgate.platform.messaging.EventProcessor;
import io.smallrye.common.annotation.Blocking;

/** The consuming side: inbox plus one database write per event; records end-to-end latency. */
@ApplicationScoped
public class BenchConsumer {

    private final EventProcessor processor;
    private final EntityManager entityManager;
    private final EventHandlers handlers;
    private final AtomicLong applied = new AtomicLong();
    private final ConcurrentLinkedQueue<Long> latenciesMicros = new ConcurrentLinkedQueue<>();

    public BenchConsumer(EventProcessor processor, EntityManager entityManager) {
        this.processor = processor;
        this.entityManager = entityManager;
        this.handlers = EventHandlers.builder().on(RegistryImageDiscovered.class, this::apply).build();
    }

    @Incoming("bench-images")
    @Blocking
    public void consume(ConsumerRecord<String, byte[]> record) {
        processor.process("bench", record, handlers);
    }

    void apply(RegistryImageDiscovered event) {
        Instant now = Instant.now();
        entityManager.createNativeQuery(
                "insert into bench_effect (event_id, digest, occurred_at, applied_at) values (?1, ?2, ?3, ?4)")
                .setParameter(1, event.eventId())
                .setParameter(2, event.image().digest())
                .setParameter(3, event.occurredAt())
                .setParameter(4, now)
                .executeUpdate();
        latenciesMicros.add(Duration.between(event.occurredAt(), now).toNanos() / 1000);
        applied.incrementAndGet();
    }

    long applied() {
        return applied.get();
    }

    /** Latencies recorded since the last call, and forgets them. */
    long[] drainLatencies() {
        long[] out = new long[latenciesMicros.size()];
        int i = 0;
        Long value;
        while (i < out.length && (value = latenciesMicros.poll()) != null) {
            out[i++] = value;
        }
        return java.util.Arrays.copyOf(out, i);
    }
}
