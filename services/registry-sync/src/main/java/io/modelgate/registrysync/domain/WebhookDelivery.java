package io.modelgate.registrysync.domain;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** One registry event received by webhook, persisted before it is acknowledged and processed after. */
@Entity
@Table(name = "webhook_delivery")
public class WebhookDelivery {

    /** What the registry reported. */
    public enum Action {
        PUSH, DELETE
    }

    /** Processing state. */
    public enum Status {
        RECEIVED, PROCESSING, PROCESSED, FAILED
    }

    @Id
    public UUID id;

    @Column(name = "connection_id")
    public UUID connectionId;

    @Column(name = "event_id")
    public String eventId;

    public String format;

    @Enumerated(EnumType.STRING)
    public Action action;

    public String repository;

    public String tag;

    public String digest;

    @Column(name = "received_at")
    public Instant receivedAt;

    /** When a worker claimed it for processing; null while only received. */
    @Column(name = "claimed_at")
    public Instant claimedAt;

    @Enumerated(EnumType.STRING)
    public Status status;

    @Column(name = "processed_at")
    public Instant processedAt;

    public String outcome;
}
