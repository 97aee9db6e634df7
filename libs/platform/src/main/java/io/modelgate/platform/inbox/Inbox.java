package io.modelgate.platform.inbox;

import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import jakarta.transaction.Transactional.TxType;

/**
 * The idempotent inbox: remembers which events each consumer has applied, in the same transaction as their effect, so
 * a redelivered event is recognised and skipped.
 */
@ApplicationScoped
public class Inbox {

    private final EntityManager entityManager;

    public Inbox(EntityManager entityManager) {
        this.entityManager = entityManager;
    }

    /**
     * Records that {@code consumer} applies {@code eventId}; false if it already did. Must run in the transaction of
     * the effect: if the effect rolls back, so does the record. A concurrent duplicate blocks on the primary key until
     * the first commits, then sees false.
     */
    @Transactional(TxType.MANDATORY)
    public boolean record(String consumer, UUID eventId, String eventType) {
        return entityManager.createNativeQuery(
                "insert into inbox_event (consumer, event_id, event_type, processed_at) values (?1, ?2, ?3, now())"
                        + " on conflict do nothing")
                .setParameter(1, consumer)
                .setParameter(2, eventId)
                .setParameter(3, eventType)
                .executeUpdate() == 1;
    }
}
