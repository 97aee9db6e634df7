package io.modelgate.registrysync.client;

import java.io.IOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Reads OCI and Docker schema 2 manifests, image indexes and image configs: only the fields Modelgate uses. */
public final class Manifests {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Manifests() {
    }

    /** A manifest that is not an image manifest or index, or does not parse; the reason is recorded. */
    public static class UnsupportedManifestException extends RuntimeException {
        public UnsupportedManifestException(String message) {
            super(message);
        }
    }

    /** A single-platform image manifest. */
    public record ImageManifest(String configDigest, long configSize, long layersSize,
            Map<String, String> annotations) {
    }

    /** One entry of an index. */
    public record IndexEntry(String digest, String mediaType, String os, String architecture, String variant) {
    }

    /** A multi-platform index. */
    public record ImageIndex(List<IndexEntry> manifests, Map<String, String> annotations) {
    }

    /** What an image config says. */
    public record ImageConfig(String os, String architecture, String variant, Instant created,
            Map<String, String> labels) {
    }

    public static boolean isIndex(String mediaType, byte[] body) {
        if (RegistryClient.OCI_INDEX.equals(mediaType) || RegistryClient.DOCKER_LIST.equals(mediaType)) {
            return true;
        }
        // An OCI manifest may omit mediaType; an index is recognised by its manifests array.
        return (mediaType == null || mediaType.isBlank() || mediaType.equals("application/json"))
                && tree(body).has("manifests");
    }

    public static ImageManifest image(Document document) {
        JsonNode root = tree(document.body());
        String declared = root.path("mediaType").asText(document.mediaType());
        if (root.path("schemaVersion").asInt() != 2 || !root.path("config").isObject()) {
            throw new UnsupportedManifestException("unsupported manifest (" + declared
                    + "): only OCI and Docker schema 2 image manifests and indexes are read");
        }
        JsonNode config = root.path("config");
        String configDigest = config.path("digest").asText(null);
        if (configDigest == null) {
            throw new UnsupportedManifestException("manifest has no config digest");
        }
        long layers = 0;
        for (JsonNode layer : root.path("layers")) {
            layers += Math.max(0, layer.path("size").asLong());
        }
        return new ImageManifest(configDigest, Math.max(0, config.path("size").asLong()), layers,
                strings(root.path("annotations")));
    }

    public static ImageIndex index(Document document) {
        JsonNode root = tree(document.body());
        List<IndexEntry> entries = new ArrayList<>();
        for (JsonNode entry : root.path("manifests")) {
            JsonNode platform = entry.path("platform");
            entries.add(new IndexEntry(entry.path("digest").asText(null), entry.path("mediaType").asText(null),
                    platform.path("os").asText(null), platform.path("architecture").asText(null),
                    platform.path("variant").asText(null)));
        }
        return new ImageIndex(entries, strings(root.path("annotations")));
    }

    public static ImageConfig config(byte[] body) {
        JsonNode root = tree(body);
        Instant created = null;
        String value = root.path("created").asText(null);
        if (value != null) {
            try {
                created = OffsetDateTime.parse(value).toInstant();
            } catch (RuntimeException e) {
                // An unparseable time is left out; the image is still announced.
            }
        }
        return new ImageConfig(root.path("os").asText(null), root.path("architecture").asText(null),
                root.path("variant").asText(null), created, strings(root.path("config").path("Labels")));
    }

    private static Map<String, String> strings(JsonNode node) {
        Map<String, String> map = new LinkedHashMap<>();
        if (node != null && node.isObject()) {
            node.fields().forEachRemaining(e -> {
                if (e.getValue().isValueNode() && !e.getValue().isNull()) {
                    map.put(e.getKey(), e.getValue().asText());
                }
            });
        }
        return map;
    }

    private static JsonNode tree(byte[] body) {
        try {
            JsonNode node = JSON.readTree(body);
            if (node == null || !node.isObject()) {
                throw new UnsupportedManifestException("manifest is not a JSON object");
            }
            return node;
        } catch (IOException e) {
            throw new UnsupportedManifestException("manifest is not valid JSON");
        }
    }
}
