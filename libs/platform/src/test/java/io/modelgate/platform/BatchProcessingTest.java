package io.modelgate.platform;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import io.modelgate.events.DiscoveryMethod;
import io.modelgate.events.EventJson;
import io.modelgate.events.EventTypes;
import io.modelgate.events.RegistryImageDiscovered;
import io.modelgate.events.Topics;
import io.modelgate.platform.messaging.CloudEventHeaders;
import io.modelgate.platform.messaging.EventProcessor;
import io.modelgate.platform.messaging.EventProcessor.Outcome;
import io.modelgate.platform.testapp.ImageConsumer;
import io.modelgate.platform.testapp.NoteResource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;

import static org.assertj.core.api.Assertions.assertThat;

/** One poll applied in one transaction: the effect of each record once, and a failing record isolated. */
@QuarkusTest
class BatchProcessingTest {

    @Inject
    EventProcessor processor;

    @Inject
    ImageConsumer consumer;

    @Inject
    EntityManager entityManager;

    @Test
    void aCleanBatchAppliesEveryRecordOnceAndRecognisesDuplicates() {
        RegistryImageDiscovered first = event();
        RegistryImageDiscovered second = event();
        ConsumerRecord<String, byte[]> firstRecord = record(first, 0);
        List<Outcome> outcomes = processor.processBatch(ImageConsumer.NAME,
                List.of(firstRecord, record(second, 1), record(first, 2)), consumer.handlers());

        assertThat(outcomes).containsExactly(Outcome.PROCESSED, Outcome.PROCESSED, Outcome.DUPLICATE);
        assertThat(effects(first.eventId())).isEqualTo(1);
        assertThat(effects(second.eventId())).isEqualTo(1);

        // The same batch delivered again, as after a rebalance before the offsets were committed.
        assertThat(processor.processBatch(ImageConsumer.NAME, List.of(firstRecord, record(second, 1)),
                consumer.handlers())).containsExactly(Outcome.DUPLICATE, Outcome.DUPLICATE);
        assertThat(effects(first.eventId())).isEqualTo(1);
    }

    @Test
    void oneFailingRecordRollsBackTheBatchAndEveryRecordIsThenAppliedAlone() {
        RegistryImageDiscovered before = event();
        RegistryImageDiscovered failing = event();
        RegistryImageDiscovered after = event();
        // Fails in the batch attempt and in the first attempt alone, then succeeds.
        ImageConsumer.FAILURES.put(failing.image().digest(), new AtomicInteger(2));
        ConsumerRecord<String, byte[]> garbage = new ConsumerRecord<>(Topics.REGISTRY_IMAGES, 0, 3, "garbage",
                "{not json".getBytes(StandardCharsets.UTF_8));
        garbage.headers()
                .add(CloudEventHeaders.TYPE,
                        EventTypes.REGISTRY_IMAGE_DISCOVERED.type().getBytes(StandardCharsets.UTF_8));

        List<Outcome> outcomes = processor.processBatch(ImageConsumer.NAME,
                List.of(record(before, 0), record(failing, 1), record(after, 2), garbage), consumer.handlers());

        assertThat(outcomes).containsExactly(Outcome.PROCESSED, Outcome.PROCESSED, Outcome.PROCESSED,
                Outcome.DEAD_LETTERED);
        // The rolled-back batch attempt left nothing behind: each effect exists exactly once.
        assertThat(effects(before.eventId())).isEqualTo(1);
        assertThat(effects(failing.eventId())).isEqualTo(1);
        assertThat(effects(after.eventId())).isEqualTo(1);
        assertThat(count("select count(*) from test_effect where digest = '" + failing.image().digest() + "'"))
                .isEqualTo(1);
    }

    @Test
    void aRecordThatKeepsFailingIsDeadLetteredAndTheRestOfTheBatchApplies() {
        RegistryImageDiscovered poisoned = event();
        RegistryImageDiscovered healthy = event();
        ImageConsumer.FAILURES.put(poisoned.image().digest(), new AtomicInteger(1_000));

        List<Outcome> outcomes = processor.processBatch(ImageConsumer.NAME,
                List.of(record(poisoned, 0), record(healthy, 1)), consumer.handlers());

        assertThat(outcomes).containsExactly(Outcome.DEAD_LETTERED, Outcome.PROCESSED);
        assertThat(effects(poisoned.eventId())).isZero();
        assertThat(effects(healthy.eventId())).isEqualTo(1);
    }

    private static RegistryImageDiscovered event() {
        return RegistryImageDiscovered.of("local", NoteResource.image(OutboxInboxTest.randomDigest()),
                DiscoveryMethod.MANUAL, null, null);
    }

    private static ConsumerRecord<String, byte[]> record(RegistryImageDiscovered event, long offset) {
        ConsumerRecord<String, byte[]> record = new ConsumerRecord<>(Topics.REGISTRY_IMAGES, 0, offset, event.key(),
                EventJson.write(event));
        record.headers()
                .add(CloudEventHeaders.TYPE,
                        EventTypes.REGISTRY_IMAGE_DISCOVERED.type().getBytes(StandardCharsets.UTF_8));
        record.headers().add(CloudEventHeaders.ID, event.eventId().toString().getBytes(StandardCharsets.UTF_8));
        return record;
    }

    private long effects(UUID eventId) {
        return count("select count(*) from test_effect where event_id = '" + eventId + "'");
    }

    private long count(String sql) {
        return QuarkusTransaction.requiringNew()
                .call(() -> ((Number) entityManager.createNativeQuery(sql).getSingleResult()).longValue());
    }
}
