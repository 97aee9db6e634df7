package io.modelgate.registrysync.persistence;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.modelgate.registrysync.domain.WebhookDelivery;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Sort;

/** Persisted webhook events. */
@ApplicationScoped
public class WebhookDeliveryRepository implements PanacheRepositoryBase<WebhookDelivery, UUID> {

    /** Inserts unless the connection already has this event id; true when inserted. */
    public boolean insertIfNew(WebhookDelivery d) {
        return getEntityManager().createNativeQuery("insert into webhook_delivery (id, connection_id, event_id, format,"
                + " action, repository, tag, digest, received_at, status) values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9,"
                + " ?10) on conflict (connection_id, event_id) do nothing")
                .setParameter(1, d.id)
                .setParameter(2, d.connectionId)
                .setParameter(3, d.eventId)
                .setParameter(4, d.format)
                .setParameter(5, d.action.name())
                .setParameter(6, d.repository)
                .setParameter(7, d.tag)
                .setParameter(8, d.digest)
                .setParameter(9, d.receivedAt)
                .setParameter(10, d.status.name())
                .executeUpdate() == 1;
    }

    /**
     * Events received before {@code receivedBefore} and never claimed, or claimed before {@code claimedBefore} and not
     * finished: a crash or restart left them behind.
     */
    public List<WebhookDelivery> pending(Instant receivedBefore, Instant claimedBefore, int limit) {
        return find("status = ?1 and receivedAt < ?3 or status = ?2 and claimedAt < ?4", Sort.by("receivedAt"),
                WebhookDelivery.Status.RECEIVED, WebhookDelivery.Status.PROCESSING, receivedBefore, claimedBefore)
                .page(Page.ofSize(limit))
                .list();
    }

    /**
     * Claims the event for this worker: true for exactly one caller, unless the claim is older than
     * {@code staleBefore} (its worker died), when it may be taken again.
     */
    public boolean claim(UUID id, Instant now, Instant staleBefore) {
        return update("status = ?1, claimedAt = ?2 where id = ?3 and (status = ?4 or status = ?1 and claimedAt < ?5)",
                WebhookDelivery.Status.PROCESSING, now, id, WebhookDelivery.Status.RECEIVED, staleBefore) == 1;
    }

    public List<WebhookDelivery> ofConnection(UUID connectionId, int limit) {
        return find("connectionId", Sort.by("receivedAt").descending(), connectionId).page(Page.ofSize(limit)).list();
    }
}
