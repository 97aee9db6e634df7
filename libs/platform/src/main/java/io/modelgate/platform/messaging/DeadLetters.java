package io.modelgate.platform.messaging;

import java.time.Instant;
import java.util.concurrent.ExecutionException;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

import io.modelgate.events.Topics;

/**
 * Sends records a consumer cannot process to {@code <topic>.dlq.<consumer>}: key, value and headers unchanged, plus
 * headers saying where the record came from and why it failed.
 */
@ApplicationScoped
public class DeadLetters {

    public static final String REASON = "modelgate-dlq-reason";
    public static final String ERROR_CLASS = "modelgate-dlq-error-class";
    public static final String ERROR_MESSAGE = "modelgate-dlq-error-message";
    public static final String ATTEMPTS = "modelgate-dlq-attempts";
    public static final String CONSUMER = "modelgate-dlq-consumer";
    public static final String ORIGINAL_TOPIC = "modelgate-dlq-original-topic";
    public static final String ORIGINAL_PARTITION = "modelgate-dlq-original-partition";
    public static final String ORIGINAL_OFFSET = "modelgate-dlq-original-offset";
    public static final String FAILED_AT = "modelgate-dlq-failed-at";

    private static final int MAX_MESSAGE = 2000;

    private final EventProducer producer;

    public DeadLetters(EventProducer producer) {
        this.producer = producer;
    }

    /**
     * Sends and waits for the broker's acknowledgement. If that fails the exception propagates, the record stays
     * unacknowledged and is redelivered: a record is never dropped because its dead-letter write failed.
     */
    public void send(String consumer, ConsumerRecord<String, byte[]> record, DeadLetterReason reason, Throwable error,
            int attempts) {
        ProducerRecord<String, byte[]> dead = new ProducerRecord<>(Topics.deadLetter(record.topic(), consumer), null,
                record.key(), record.value());
        Headers headers = dead.headers();
        for (Header header : record.headers()) {
            headers.add(header);
        }
        CloudEventHeaders.put(headers, REASON, reason.name());
        CloudEventHeaders.put(headers, ERROR_CLASS, error.getClass().getName());
        CloudEventHeaders.put(headers, ERROR_MESSAGE, truncate(String.valueOf(error.getMessage())));
        CloudEventHeaders.put(headers, ATTEMPTS, Integer.toString(attempts));
        CloudEventHeaders.put(headers, CONSUMER, consumer);
        CloudEventHeaders.put(headers, ORIGINAL_TOPIC, record.topic());
        CloudEventHeaders.put(headers, ORIGINAL_PARTITION, Integer.toString(record.partition()));
        CloudEventHeaders.put(headers, ORIGINAL_OFFSET, Long.toString(record.offset()));
        CloudEventHeaders.put(headers, FAILED_AT, Instant.now().toString());
        try {
            producer.producer().send(dead).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while dead-lettering", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("Dead-letter write to " + dead.topic() + " failed", e.getCause());
        }
    }

    private static String truncate(String message) {
        return message.length() <= MAX_MESSAGE ? message : message.substring(0, MAX_MESSAGE) + "…";
    }
}
