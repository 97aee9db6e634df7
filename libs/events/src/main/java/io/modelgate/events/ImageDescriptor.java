package io.modelgate.events;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One container image as found in a registry, pinned by digest; carried from registry-sync through scanner
 * to approval so no consumer has to ask the registry again.
 *
 * @param connectionId id of the registry connection in registry-sync that found the image
 * @param registry registry host, with the port if not the default ({@code host[:port]})
 * @param repository repository path within the registry
 * @param tag the tag the image was found under; null when discovered by digest only
 * @param digest manifest digest, e.g. {@code sha256:<64 hex>}
 * @param reference the pinned pull reference {@code registry/repository@digest}
 * @param mediaType manifest or index media type; null if the registry did not tell
 * @param platform platform of a single-platform manifest; null for an index
 * @param sizeBytes total size of config and layers, 0 if unknown
 * @param createdAt image creation time from its config; null if absent
 * @param labels image config labels
 * @param annotations manifest annotations
 */
public record ImageDescriptor(String connectionId, String registry, String repository, String tag, String digest,
        String reference, String mediaType, Platform platform, long sizeBytes, Instant createdAt,
        Map<String, String> labels, Map<String, String> annotations) {

    /** The OCI digest grammar ({@code algorithm:encoded}); the JSON Schemas use the same pattern. */
    public static final String DIGEST_REGEX = "^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$";

    private static final Pattern DIGEST = Pattern.compile(DIGEST_REGEX);

    public ImageDescriptor {
        Objects.requireNonNull(connectionId, "connectionId");
        Objects.requireNonNull(registry, "registry");
        Objects.requireNonNull(repository, "repository");
        requireDigest(digest, "digest");
        Objects.requireNonNull(reference, "reference");
        if (sizeBytes < 0) {
            throw new IllegalArgumentException("sizeBytes must not be negative: " + sizeBytes);
        }
        labels = Values.map(labels);
        annotations = Values.map(annotations);
    }

    /** The reference serving deploys: by digest, never by tag, so what runs is exactly what was approved. */
    public static String pinnedReference(String registry, String repository, String digest) {
        Objects.requireNonNull(registry, "registry");
        Objects.requireNonNull(repository, "repository");
        requireDigest(digest, "digest");
        return registry + "/" + repository + "@" + digest;
    }

    /** Whether a string is a well-formed digest. */
    public static boolean isValidDigest(String digest) {
        return digest != null && DIGEST.matcher(digest).matches();
    }

    /** Validates a digest field of any event, so all events reject the same malformed digests. */
    static String requireDigest(String digest, String field) {
        Objects.requireNonNull(digest, field);
        if (!DIGEST.matcher(digest).matches()) {
            throw new IllegalArgumentException(field + " is not a valid digest: " + digest);
        }
        return digest;
    }
}
