package io.modelgate.testing;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Predicate;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import io.modelgate.events.EventJson;
import io.modelgate.events.EventType;
import io.modelgate.events.EventTypes;
import io.modelgate.events.ModelgateEvent;

/** Raw Kafka access for tests: send records exactly as given (poison included) and wait for records on a topic. */
public final class KafkaTestClient implements AutoCloseable {

    private static KafkaTestClient shared;

    private final String bootstrapServers;
    private KafkaProducer<String, byte[]> producer;

    public KafkaTestClient(String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
    }

    /** The client of the shared embedded broker, one per JVM like the broker. */
    public static synchronized KafkaTestClient shared() {
        if (shared == null) {
            shared = new KafkaTestClient(EmbeddedKafka.sharedBootstrapServers());
        }
        return shared;
    }

    /** Sends one record and waits for the acknowledgement. */
    public void send(String topic, String key, byte[] value, Map<String, String> headers) {
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, key, value);
        headers.forEach((k, v) -> record.headers().add(k, v.getBytes(StandardCharsets.UTF_8)));
        send(record);
    }

    /**
     * Sends a contract event the way a Modelgate producer does: JSON value, key from {@code event.key()}, and the
     * CloudEvents 1.0 binary-mode headers, written here from the specification rather than with the platform's code,
     * so a consumer test also checks the wire format.
     */
    public void sendEvent(ModelgateEvent event) {
        EventType<?> type = EventTypes.of(event.getClass());
        send(type.topic(), event.key(), EventJson.write(event), Map.of(
                "ce_specversion", "1.0",
                "ce_id", event.eventId().toString(),
                "ce_type", type.type(),
                "ce_source", "/modelgate/test",
                "ce_time", event.occurredAt().toString(),
                "content-type", "application/json"));
    }

    /** Sends a record that was consumed earlier, unchanged: a redelivery as Kafka would make it. */
    public void resend(ConsumerRecord<String, byte[]> original) {
        ProducerRecord<String, byte[]> copy = new ProducerRecord<>(original.topic(), original.key(), original.value());
        for (Header header : original.headers()) {
            copy.headers().add(header);
        }
        send(copy);
    }

    private void send(ProducerRecord<String, byte[]> record) {
        try {
            producer().send(record).get();
        } catch (Exception e) {
            throw new IllegalStateException("Could not send to " + record.topic(), e);
        }
    }

    /** One producer per client, kept open: opening one per send would dominate any latency a test or benchmark reads. */
    private synchronized KafkaProducer<String, byte[]> producer() {
        if (producer == null) {
            Properties props = new Properties();
            props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
            producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
        }
        return producer;
    }

    /** Closes the producer, if one was opened. */
    @Override
    public synchronized void close() {
        if (producer != null) {
            producer.close();
            producer = null;
        }
    }

    /** Reads {@code topic} from the beginning until a record matches, or fails after {@code timeout}. */
    public ConsumerRecord<String, byte[]> await(String topic, Predicate<ConsumerRecord<String, byte[]>> match,
            Duration timeout) {
        List<ConsumerRecord<String, byte[]>> found = awaitAll(topic, match, 1, timeout);
        return found.get(0);
    }

    /** Reads {@code topic} from the beginning until {@code count} records match, or fails after {@code timeout}. */
    public List<ConsumerRecord<String, byte[]>> awaitAll(String topic, Predicate<ConsumerRecord<String, byte[]>> match,
            int count, Duration timeout) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "test-reader-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        List<ConsumerRecord<String, byte[]>> matches = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (match.test(record)) {
                        matches.add(record);
                        if (matches.size() >= count) {
                            return matches;
                        }
                    }
                }
            }
        }
        throw new AssertionError("Expected " + count + " matching record(s) on " + topic + " within " + timeout
                + ", found " + matches.size());
    }

    /** A header's value as a string, or null. */
    public static String header(ConsumerRecord<String, byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
