package io.modelgate.registrysync.domain;

import java.time.Instant;
import java.util.Map;

import io.modelgate.events.Platform;

/** One platform image as read from its manifest and config: what the event carries besides where it was found. */
public record ResolvedImage(String digest, String mediaType, Platform platform, long sizeBytes, Instant createdAt,
        Map<String, String> labels, Map<String, String> annotations) {
}
