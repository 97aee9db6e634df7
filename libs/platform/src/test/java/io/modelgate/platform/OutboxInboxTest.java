package io.modelgate.platform;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.TransactionalException;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import io.modelgate.events.DiscoveryMethod;
import io.modelgate.events.EventJson;
import io.modelgate.events.EventTypes;
import io.modelgate.events.RegistryImageDiscovered;
import io.modelgate.events.Topics;
import io.modelgate.platform.messaging.CloudEventHeaders;
import io.modelgate.platform.messaging.DeadLetters;
import io.modelgate.platform.outbox.Outbox;
import io.modelgate.platform.outbox.OutboxRelay;
import io.modelgate.platform.testapp.ImageConsumer;
import io.modelgate.platform.testapp.NoteResource;
import io.modelgate.testing.KafkaTestClient;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

@QuarkusTest
class OutboxInboxTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String DLQ = Topics.deadLetter(Topics.REGISTRY_IMAGES, ImageConsumer.NAME);

    @Inject
    EntityManager entityManager;

    @Inject
    Outbox outbox;

    @Inject
    OutboxRelay relay;

    private final KafkaTestClient kafka = KafkaTestClient.shared();

    @Test
    void eventReachesConsumerOnceEvenWhenDeliveredTwice() {
        String digest = randomDigest();
        UUID eventId = createNote(digest);

        await().atMost(WAIT).until(() -> effects(eventId) == 1);
        ConsumerRecord<String, byte[]> record = kafka.await(Topics.REGISTRY_IMAGES,
                r -> eventId.toString().equals(KafkaTestClient.header(r, CloudEventHeaders.ID)), WAIT);
        assertThat(record.key()).isEqualTo(digest);
        assertThat(KafkaTestClient.header(record, CloudEventHeaders.SPEC_VERSION)).isEqualTo("1.0");
        assertThat(KafkaTestClient.header(record, CloudEventHeaders.TYPE))
                .isEqualTo(EventTypes.REGISTRY_IMAGE_DISCOVERED.type());
        assertThat(KafkaTestClient.header(record, CloudEventHeaders.SOURCE)).isEqualTo("/modelgate/platform-test");
        assertThat(KafkaTestClient.header(record, CloudEventHeaders.TIME)).isNotBlank();
        assertThat(KafkaTestClient.header(record, CloudEventHeaders.CONTENT_TYPE)).isEqualTo("application/json");
        assertThat(EventJson.read(record.value(), RegistryImageDiscovered.class).eventId()).isEqualTo(eventId);

        // Redeliver the very same record, then send a later event: once the later one is applied, the duplicate
        // has been consumed too (one partition per key, in order) and must have had no effect.
        kafka.resend(record);
        UUID later = createNote(digest);
        await().atMost(WAIT).until(() -> effects(later) == 1);
        assertThat(effects(eventId)).isEqualTo(1);
    }

    @Test
    void rolledBackTransactionPublishesNothing() {
        String digest = randomDigest();
        given().contentType("application/json")
                .body(Map.of("digest", digest, "failAfterPublish", true))
                .post("/test/notes")
                .then()
                .statusCode(409);
        assertThat(count("select count(*) from outbox_event where record_key = '" + digest + "'")).isZero();
        assertThat(count("select count(*) from test_note where digest = '" + digest + "'")).isZero();
    }

    @Test
    void publishingOutsideATransactionIsRefused() {
        RegistryImageDiscovered event = RegistryImageDiscovered.of("local",
                NoteResource.image(randomDigest()), DiscoveryMethod.MANUAL, null,
                null);
        assertThatThrownBy(() -> outbox.publish(Topics.REGISTRY_IMAGES, event.key(), event))
                .isInstanceOf(TransactionalException.class);
    }

    @Test
    void publishingToAnotherTopicThanTheEventsIsRefused() {
        RegistryImageDiscovered event = RegistryImageDiscovered.of("local",
                NoteResource.image(randomDigest()), DiscoveryMethod.MANUAL, null,
                null);
        assertThatThrownBy(() -> QuarkusTransaction.requiringNew()
                .run(() -> outbox.publish(Topics.SCANNER_SCANS, event.key(), event)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(Topics.REGISTRY_IMAGES);
    }

    @Test
    void committedEventSurvivesARelayOutageAndIsDeliveredByTheSweep() throws InterruptedException {
        relay.pause();
        UUID eventId;
        try {
            eventId = createNote(randomDigest());
            // Committed with its state, not yet published: the situation a crash before publishing leaves.
            assertThat(count("select count(*) from outbox_event where id = '" + eventId + "' and published_at is null"))
                    .isEqualTo(1);
            Thread.sleep(1500);
            assertThat(effects(eventId)).isZero();
        } finally {
            // No signal on resume: only the periodic sweep can find the row, as after a restart.
            relay.resume();
        }
        UUID id = eventId;
        await().atMost(WAIT).until(() -> effects(id) == 1);
        assertThat(count("select count(*) from outbox_event where id = '" + id + "' and published_at is not null"))
                .isEqualTo(1);
    }

    @Test
    void transientHandlerFailuresAreRetriedAndRolledBack() {
        String digest = randomDigest();
        ImageConsumer.FAILURES.put(digest, new AtomicInteger(2));
        UUID eventId = createNote(digest);
        await().atMost(WAIT).until(() -> effects(eventId) == 1);
        // The two failed attempts wrote an effect row each before throwing; both rolled back.
        assertThat(count("select count(*) from test_effect where digest = '" + digest + "'")).isEqualTo(1);
    }

    @Test
    void persistentHandlerFailureGoesToTheDeadLetterTopicAndTheConsumerGoesOn() {
        String digest = randomDigest();
        ImageConsumer.FAILURES.put(digest, new AtomicInteger(1_000));
        UUID eventId = createNote(digest);

        ConsumerRecord<String, byte[]> dead = kafka.await(DLQ,
                r -> eventId.toString().equals(KafkaTestClient.header(r, CloudEventHeaders.ID)), WAIT);
        assertThat(KafkaTestClient.header(dead, DeadLetters.REASON)).isEqualTo("PROCESSING_FAILED");
        assertThat(KafkaTestClient.header(dead, DeadLetters.ATTEMPTS)).isEqualTo("3");
        assertThat(KafkaTestClient.header(dead, DeadLetters.ERROR_MESSAGE)).contains("Injected failure");
        assertThat(KafkaTestClient.header(dead, DeadLetters.ORIGINAL_TOPIC)).isEqualTo(Topics.REGISTRY_IMAGES);
        assertThat(dead.key()).isEqualTo(digest);
        assertThat(effects(eventId)).isZero();
        assertThat(count("select count(*) from inbox_event where event_id = '" + eventId + "'")).isZero();

        UUID next = createNote(randomDigest());
        await().atMost(WAIT).until(() -> effects(next) == 1);
    }

    @Test
    void unparseableAndUnknownRecordsGoToTheDeadLetterTopicAtOnce() {
        String marker = UUID.randomUUID().toString();
        String type = EventTypes.REGISTRY_IMAGE_DISCOVERED.type();
        kafka.send(Topics.REGISTRY_IMAGES, "garbage-" + marker, "{not json".getBytes(StandardCharsets.UTF_8),
                Map.of(CloudEventHeaders.TYPE, type, CloudEventHeaders.SPEC_VERSION, "1.0"));
        kafka.send(Topics.REGISTRY_IMAGES, "truncated-" + marker,
                "{\"eventId\":\"".getBytes(StandardCharsets.UTF_8),
                Map.of(CloudEventHeaders.TYPE, type));
        kafka.send(Topics.REGISTRY_IMAGES, "unknown-" + marker, "{}".getBytes(StandardCharsets.UTF_8),
                Map.of(CloudEventHeaders.TYPE, "io.modelgate.registry.image.exploded.v1"));
        kafka.send(Topics.REGISTRY_IMAGES, "newer-" + marker, "{}".getBytes(StandardCharsets.UTF_8),
                Map.of(CloudEventHeaders.TYPE, "io.modelgate.registry.image.discovered.v2"));
        kafka.send(Topics.REGISTRY_IMAGES, "untyped-" + marker, "{}".getBytes(StandardCharsets.UTF_8), Map.of());

        assertDeadLettered("garbage-" + marker, "UNPARSEABLE", "0");
        assertDeadLettered("truncated-" + marker, "UNPARSEABLE", "0");
        assertDeadLettered("unknown-" + marker, "UNKNOWN_TYPE", "0");
        assertDeadLettered("newer-" + marker, "UNKNOWN_TYPE", "0");
        assertDeadLettered("untyped-" + marker, "UNKNOWN_TYPE", "0");

        UUID next = createNote(randomDigest());
        await().atMost(WAIT).until(() -> effects(next) == 1);
    }

    private void assertDeadLettered(String key, String reason, String attempts) {
        ConsumerRecord<String, byte[]> dead = kafka.await(DLQ, r -> key.equals(r.key()), WAIT);
        assertThat(KafkaTestClient.header(dead, DeadLetters.REASON)).isEqualTo(reason);
        assertThat(KafkaTestClient.header(dead, DeadLetters.ATTEMPTS)).isEqualTo(attempts);
        assertThat(KafkaTestClient.header(dead, DeadLetters.CONSUMER)).isEqualTo(ImageConsumer.NAME);
        assertThat(KafkaTestClient.header(dead, DeadLetters.ERROR_MESSAGE)).isNotBlank();
    }

    private static UUID createNote(String digest) {
        String id = given().contentType("application/json")
                .body(Map.of("digest", digest))
                .post("/test/notes")
                .then()
                .statusCode(200)
                .extract()
                .path("eventId");
        return UUID.fromString(id);
    }

    private long effects(UUID eventId) {
        return count("select count(*) from test_effect where event_id = '" + eventId + "'");
    }

    private long count(String sql) {
        return QuarkusTransaction.requiringNew()
                .call(() -> ((Number) entityManager.createNativeQuery(sql).getSingleResult()).longValue());
    }

    static String randomDigest() {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256")
                    .digest(UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8));
            return "sha256:" + HexFormat.of().formatHex(hash);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
