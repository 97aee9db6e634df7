package io.modelgate.registrysync.domain;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import io.modelgate.events.DiscoveryMethod;
import io.modelgate.events.ImageDescriptor;
import io.modelgate.events.RegistryImageDiscovered;
import io.modelgate.events.Topics;
import io.modelgate.platform.outbox.Outbox;
import io.modelgate.registrysync.persistence.DiscoveredImageRepository;

/**
 * Announces an image an administrator names by digest, for registries Modelgate cannot poll and for re-announcing
 * after an outage. The image still has to pass scanning and approval like any other.
 */
@ApplicationScoped
public class ManualDiscovery {

    /** The connection id manual announcements carry; registry connections (polling, webhooks) have their own. */
    public static final String MANUAL_CONNECTION = "manual";

    private final DiscoveredImageRepository images;
    private final Outbox outbox;

    public ManualDiscovery(DiscoveredImageRepository images, Outbox outbox) {
        this.images = images;
        this.outbox = outbox;
    }

    /** The stored announcement, and whether this call created it (false: the same image was announced before). */
    public record Result(DiscoveredImage image, boolean created) {
    }

    @Transactional
    public Result announce(String registry, String repository, String tag, String digest, String mediaType,
            Map<String, String> annotations, String user) {
        var existing = images.findIdentical(MANUAL_CONNECTION, registry, repository, tag, digest);
        if (existing.isPresent()) {
            return new Result(existing.get(), false);
        }
        String reference = ImageDescriptor.pinnedReference(registry, repository, digest);
        ImageDescriptor descriptor = new ImageDescriptor(MANUAL_CONNECTION, registry, repository, tag, digest,
                reference,
                mediaType, null, 0, null, Map.of(), annotations);
        RegistryImageDiscovered event = RegistryImageDiscovered.of(MANUAL_CONNECTION, descriptor,
                DiscoveryMethod.MANUAL, null, null);

        DiscoveredImage image = new DiscoveredImage();
        image.id = UUID.randomUUID();
        image.connectionId = MANUAL_CONNECTION;
        image.registry = registry;
        image.repository = repository;
        image.tag = tag;
        image.digest = digest;
        image.reference = reference;
        image.mediaType = mediaType;
        image.discoveredBy = DiscoveryMethod.MANUAL;
        image.discoveredAt = Instant.now();
        image.discoveredUser = user;
        image.eventId = event.eventId();
        // Two identical announcements at once: the second waits for the first to commit and inserts nothing,
        // then answers with the first one's row, instead of failing on the unique index.
        if (!images.insertIfNew(image)) {
            return new Result(images.findIdentical(MANUAL_CONNECTION, registry, repository, tag, digest)
                    .orElseThrow(() -> new IllegalStateException("announcement vanished")), false);
        }
        outbox.publish(Topics.REGISTRY_IMAGES, event.key(), event);
        return new Result(image, true);
    }
}
