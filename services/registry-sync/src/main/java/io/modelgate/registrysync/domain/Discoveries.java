package io.modelgate.registrysync.domain;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import io.micrometer.core.instrument.MeterRegistry;
import io.modelgate.events.DiscoveryMethod;
import io.modelgate.events.ImageDescriptor;
import io.modelgate.events.RegistryImageDiscovered;
import io.modelgate.events.Topics;
import io.modelgate.platform.outbox.Outbox;
import io.modelgate.registrysync.persistence.DiscoveredImageRepository;
import io.modelgate.registrysync.persistence.TagDigestRepository;

/**
 * Records what a poll or webhook found and announces what is new, in one transaction with the tag → digest cache: a
 * tag is remembered at its digest only together with the events its images produced. A tag moved to any other digest,
 * including one it pointed to before, is announced again.
 */
@ApplicationScoped
public class Discoveries {

    /** One tag looked at: its digest, the images it resolved to (none when skipped), and the rule that admitted it. */
    public record Found(String repository, String tag, String digest, List<ResolvedImage> images, UUID ruleId,
            String ruleName) {
    }

    private final DiscoveredImageRepository images;
    private final TagDigestRepository tagDigests;
    private final Outbox outbox;
    private final MeterRegistry meters;

    public Discoveries(DiscoveredImageRepository images, TagDigestRepository tagDigests, Outbox outbox,
            MeterRegistry meters) {
        this.images = images;
        this.tagDigests = tagDigests;
        this.outbox = outbox;
        this.meters = meters;
    }

    /** Stores a batch; returns how many new images were announced. */
    @Transactional
    public int record(RegistryConnection connection, List<Found> batch, DiscoveryMethod method) {
        int announced = 0;
        String registry = connection.registryHost();
        for (Found found : batch) {
            // The cache first: its row lock orders a poll and a webhook reporting the same move at once.
            boolean moved = tagDigests.remember(connection.id, found.repository(), found.tag(), found.digest());
            for (ResolvedImage image : found.images()) {
                String reference = ImageDescriptor.pinnedReference(registry, found.repository(), image.digest());
                ImageDescriptor descriptor = new ImageDescriptor(connection.id.toString(), registry,
                        found.repository(), found.tag(), image.digest(), reference, image.mediaType(),
                        image.platform(), image.sizeBytes(), image.createdAt(), image.labels(), image.annotations());
                RegistryImageDiscovered event = RegistryImageDiscovered.of(connection.name, descriptor, method,
                        found.ruleId() == null ? null : found.ruleId().toString(), found.ruleName());
                DiscoveredImage row = new DiscoveredImage();
                row.id = UUID.randomUUID();
                row.connectionId = connection.id.toString();
                row.registry = registry;
                row.repository = found.repository();
                row.tag = found.tag();
                row.digest = image.digest();
                row.reference = reference;
                row.mediaType = image.mediaType();
                row.discoveredBy = method;
                row.discoveredAt = Instant.now();
                row.eventId = event.eventId();
                row.ruleId = found.ruleId();
                row.platform = image.platform() == null ? null : image.platform().value();
                // Announced when the image is new, or when the tag moved back to an image announced before (a
                // rollback is news to consumers). Not when the tag already pointed here: a poll and a webhook that
                // raced, or a full run re-reading unchanged tags.
                if (images.insertIfNew(row) || moved && images.reannounce(row)) {
                    outbox.publish(Topics.REGISTRY_IMAGES, event.key(), event);
                    meters.counter("modelgate.registry.discoveries", "method", method.name()).increment();
                    announced++;
                }
            }
        }
        return announced;
    }
}
