package io.modelgate.events;

import java.time.Instant;
import java.util.UUID;

/**
 * Common contract of every Modelgate event, so the outbox, the inbox and the CloudEvents envelope in
 * libs/platform can handle any event without knowing its type.
 */
public interface ModelgateEvent {

    /** Unique per event; becomes {@code ce_id} and is the inbox deduplication key. */
    UUID eventId();

    /** When the fact happened at the producer; becomes {@code ce_time}. */
    Instant occurredAt();

    /** Version of the payload shape; matches the {@code .vN} suffix of the event's CloudEvents type. */
    int schemaVersion();

    /** The Kafka record key; all events about one entity share it so Kafka keeps them in order. */
    String key();
}
