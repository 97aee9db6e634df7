package io.modelgate.events;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonIgnore;

/**
 * An image matching a repository rule appeared in a registry; produced by registry-sync, consumed by scanner,
 * which scans it.
 *
 * @param connectionName display name of the registry connection; null if unnamed
 * @param image the image, pinned by digest
 * @param discoveredBy how the image was found
 * @param ruleId id of the repository rule that matched; null for a manual discovery
 * @param ruleName name of that rule; null for a manual discovery
 */
public record RegistryImageDiscovered(UUID eventId, Instant occurredAt, int schemaVersion, String connectionName,
        ImageDescriptor image, DiscoveryMethod discoveredBy, String ruleId, String ruleName) implements ModelgateEvent {

    public static final int SCHEMA_VERSION = 1;

    public RegistryImageDiscovered {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(occurredAt, "occurredAt");
        Values.requireSchemaVersion(schemaVersion, SCHEMA_VERSION);
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(discoveredBy, "discoveredBy");
    }

    public static RegistryImageDiscovered of(String connectionName, ImageDescriptor image,
            DiscoveryMethod discoveredBy, String ruleId, String ruleName) {
        return new RegistryImageDiscovered(UUID.randomUUID(), Instant.now(), SCHEMA_VERSION, connectionName, image,
                discoveredBy, ruleId, ruleName);
    }

    /** Keyed by digest so all events about one image stay in order on one partition. */
    @JsonIgnore
    @Override
    public String key() {
        return image.digest();
    }
}
