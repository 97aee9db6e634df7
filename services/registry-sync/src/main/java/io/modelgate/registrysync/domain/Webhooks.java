package io.modelgate.registrysync.domain;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.MeterRegistry;
import io.modelgate.events.DiscoveryMethod;
import io.modelgate.platform.problem.ProblemException;
import io.modelgate.registrysync.config.RegistrySyncConfig;
import io.modelgate.registrysync.persistence.ConnectionRepository;
import io.modelgate.registrysync.persistence.RegistryDeletionRepository;
import io.modelgate.registrysync.persistence.TagDigestRepository;
import io.modelgate.registrysync.persistence.WebhookDeliveryRepository;
import io.opentelemetry.context.Context;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;

/**
 * Receives registry webhooks: checks the connection's secret in constant time, persists each relevant event (a
 * duplicate event id is dropped), acknowledges, and then processes pushes through the {@link SyncEngine} and records
 * deletes. Events a crash left unprocessed are picked up by a sweep.
 */
@ApplicationScoped
public class Webhooks {

    private static final Logger LOG = Logger.getLogger(Webhooks.class);

    private final ConnectionRepository connections;
    private final WebhookDeliveryRepository deliveries;
    private final RegistryDeletionRepository deletions;
    private final TagDigestRepository tagDigests;
    private final SyncEngine engine;
    private final MeterRegistry meters;
    private final ExecutorService workers;
    /**
     * Secret hashes by connection, kept briefly: a registry's notifications (pulls included) arrive one after another
     * on one connection, and a database read for each would make them queue. Rotation and deletion here evict at
     * once; another instance sees a rotation within {@link #SECRET_CACHE}.
     */
    private final java.util.Map<UUID, CachedSecret> secrets = new java.util.concurrent.ConcurrentHashMap<>();
    static final Duration SECRET_CACHE = Duration.ofSeconds(5);

    private record CachedSecret(byte[] hash, Instant loadedAt) {
    }

    /** What a delivery did: events stored, duplicates dropped. */
    public record Receipt(int accepted, int duplicates, List<UUID> ids) {
    }

    public Webhooks(ConnectionRepository connections, WebhookDeliveryRepository deliveries,
            RegistryDeletionRepository deletions, TagDigestRepository tagDigests, SyncEngine engine,
            MeterRegistry meters, RegistrySyncConfig config) {
        this.connections = connections;
        this.deliveries = deliveries;
        this.deletions = deletions;
        this.tagDigests = tagDigests;
        this.engine = engine;
        this.meters = meters;
        this.workers = Executors.newFixedThreadPool(Math.max(1, config.webhook().workers()), r -> {
            Thread thread = new Thread(r, "registry-sync-webhook");
            thread.setDaemon(true);
            return thread;
        });
    }

    @PreDestroy
    void stop() {
        workers.shutdownNow();
    }

    /** SHA-256 of a webhook secret: only this is stored, so the secret cannot be read back. */
    public static byte[] hash(String secret) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * 404 for an unknown connection, 401 unless {@code authorization} is the connection's secret, either as
     * {@code Bearer <secret>} or raw (Harbor sends its auth header value as configured).
     */
    public void authenticate(String connectionId, String authorization) {
        UUID id;
        try {
            id = UUID.fromString(connectionId);
        } catch (IllegalArgumentException e) {
            throw ProblemException.notFound("No registry connection " + connectionId);
        }
        CachedSecret cached = secrets.get(id);
        byte[] expected;
        if (cached != null && cached.loadedAt().plus(SECRET_CACHE).isAfter(Instant.now())) {
            expected = cached.hash();
        } else {
            expected = QuarkusTransaction.requiringNew().call(() -> {
                RegistryConnection connection = connections.findById(id);
                return connection == null ? null : connection.webhookSecretHash;
            });
            if (expected != null) {
                secrets.put(id, new CachedSecret(expected, Instant.now()));
            } else {
                secrets.remove(id);
            }
        }
        if (expected == null) {
            throw ProblemException.notFound("No registry connection " + connectionId);
        }
        String presented = authorization == null ? "" : authorization.trim();
        if (presented.regionMatches(true, 0, "Bearer ", 0, 7)) {
            presented = presented.substring(7).trim();
        }
        // Hashes of equal length compared in constant time: neither the length nor a prefix of the secret leaks.
        if (presented.isEmpty() || !MessageDigest.isEqual(expected, hash(presented))) {
            meters.counter("modelgate.registry.webhooks", "outcome", "unauthorized").increment();
            throw new ProblemException(401, "Unauthorized", "The webhook secret of this connection is required");
        }
    }

    /** Forgets a connection's cached secret hash (after rotation or deletion). */
    public void evictSecret(UUID connectionId) {
        secrets.remove(connectionId);
    }

    /** Persists the events (one transaction) and schedules their processing after commit. */
    public Receipt receive(UUID connectionId, List<WebhookPayloads.Event> events) {
        if (events.isEmpty()) {
            // Pulls and blob pushes: acknowledged without touching the database.
            return new Receipt(0, 0, List.of());
        }
        List<UUID> inserted = QuarkusTransaction.requiringNew().call(() -> {
            List<UUID> ids = new ArrayList<>();
            for (WebhookPayloads.Event event : events) {
                WebhookDelivery delivery = new WebhookDelivery();
                delivery.id = UUID.randomUUID();
                delivery.connectionId = connectionId;
                delivery.eventId = event.eventId();
                delivery.format = event.format();
                delivery.action = event.action();
                delivery.repository = event.repository();
                delivery.tag = event.tag();
                delivery.digest = event.digest();
                delivery.receivedAt = Instant.now();
                delivery.status = WebhookDelivery.Status.RECEIVED;
                if (deliveries.insertIfNew(delivery)) {
                    ids.add(delivery.id);
                }
            }
            return ids;
        });
        meters.counter("modelgate.registry.webhooks", "outcome", "accepted").increment(inserted.size());
        meters.counter("modelgate.registry.webhooks", "outcome", "duplicate")
                .increment(events.size() - inserted.size());
        // Processing continues the webhook request's trace: the image's trace starts at the registry's push.
        Context trace = Context.current();
        inserted.forEach(id -> workers.submit(trace.wrap(() -> process(id))));
        return new Receipt(inserted.size(), events.size() - inserted.size(), inserted);
    }

    /** How long a claimed event may stay unfinished before the sweep gives it to another worker. */
    static final Duration STALE_CLAIM = Duration.ofMinutes(5);

    /** Processes one persisted event; a failure is recorded on it, never thrown. */
    void process(UUID deliveryId) {
        // One worker per event: the sweep and other instances may offer the same id while it is being processed.
        Instant now = Instant.now();
        WebhookDelivery delivery = QuarkusTransaction.requiringNew()
                .call(() -> deliveries.claim(deliveryId, now, now.minus(STALE_CLAIM))
                        ? deliveries.findById(deliveryId)
                        : null);
        if (delivery == null) {
            return;
        }
        String outcome;
        WebhookDelivery.Status status = WebhookDelivery.Status.PROCESSED;
        try {
            if (delivery.action == WebhookDelivery.Action.DELETE) {
                outcome = recordDeletion(delivery);
            } else if (delivery.tag == null) {
                // An untagged push is a platform manifest of an index or a push by digest; the tag's push follows.
                outcome = "untagged push: nothing to announce";
            } else {
                outcome = engine.processPush(delivery.connectionId, delivery.repository, delivery.tag,
                        delivery.digest, DiscoveryMethod.WEBHOOK);
            }
        } catch (RuntimeException e) {
            LOG.warnf("Webhook event %s of connection %s failed: %s", delivery.eventId, delivery.connectionId,
                    e.getMessage());
            status = WebhookDelivery.Status.FAILED;
            outcome = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        }
        String finalOutcome = outcome.length() > 1000 ? outcome.substring(0, 1000) : outcome;
        WebhookDelivery.Status finalStatus = status;
        QuarkusTransaction.requiringNew().run(() -> {
            WebhookDelivery row = deliveries.findById(deliveryId);
            if (row != null) {
                row.status = finalStatus;
                row.outcome = finalOutcome;
                row.processedAt = Instant.now();
            }
        });
    }

    private String recordDeletion(WebhookDelivery delivery) {
        QuarkusTransaction.requiringNew().run(() -> {
            RegistryDeletion deletion = new RegistryDeletion();
            deletion.id = UUID.randomUUID();
            deletion.connectionId = delivery.connectionId;
            deletion.repository = delivery.repository;
            deletion.tag = delivery.tag;
            deletion.digest = delivery.digest;
            deletion.deletedAt = delivery.receivedAt;
            deletion.deliveryId = delivery.id;
            deletions.persist(deletion);
            // Forget the cached digest, so the tag is looked at again when it reappears.
            if (delivery.tag != null) {
                tagDigests.forget(delivery.connectionId, delivery.repository, delivery.tag);
            } else if (delivery.digest != null) {
                tagDigests.forgetDigest(delivery.connectionId, delivery.repository, delivery.digest);
            }
        });
        return "deletion recorded";
    }

    /** Picks up events received but not processed (an instance stopped between acknowledging and processing). */
    @Scheduled(every = "${modelgate.registry-sync.poll.tick:10s}", delayed = "${modelgate.registry-sync.poll.tick:10s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void sweep() {
        List<UUID> pending = QuarkusTransaction.requiringNew()
                .call(() -> deliveries.pending(Instant.now().minus(Duration.ofSeconds(30)),
                        Instant.now().minus(STALE_CLAIM), 100)
                        .stream()
                        .map(d -> d.id)
                        .toList());
        pending.forEach(id -> workers.submit(() -> process(id)));
    }
}
