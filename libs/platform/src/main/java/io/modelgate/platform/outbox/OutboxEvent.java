package io.modelgate.platform.outbox;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** One event waiting in (or already published from) a service's transactional outbox. */
@Entity
@Table(name = "outbox_event")
public class OutboxEvent {

    /** The event's own id, so the row, the Kafka record ({@code ce_id}) and every inbox agree. */
    @Id
    public UUID id;

    /** Publication order; assigned by the database so concurrent writers still get a total order. */
    @Column(name = "seq", insertable = false, updatable = false)
    public Long seq;

    public String topic;

    @Column(name = "record_key")
    public String recordKey;

    @Column(name = "event_type")
    public String eventType;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(columnDefinition = "jsonb")
    public String payload;

    public String traceparent;

    public String tracestate;

    @Column(name = "occurred_at")
    public Instant occurredAt;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "published_at")
    public Instant publishedAt;

    public int attempts;

    @Column(name = "last_error")
    public String lastError;
}
