package io.modelgate.registrysync.domain;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import io.modelgate.events.Platform;
import io.modelgate.registrysync.client.Document;
import io.modelgate.registrysync.client.Manifests;
import io.modelgate.registrysync.client.RegistryClient;

/**
 * Reads an image's metadata from the registry: the manifest (or index and one manifest per platform) and each config
 * blob. Polling and webhooks both come through here, so both announce exactly the same facts.
 */
@ApplicationScoped
public class ImageResolver {

    /** The platform images behind one digest, and why any of them was left out. */
    public record Resolution(List<ResolvedImage> images, List<String> skipped) {
    }

    /** Resolves the manifest or index at {@code digest}; throws what the registry throws. */
    public Resolution resolve(RegistryClient client, String repository, String digest) {
        Document top = client.manifest(repository, digest);
        List<ResolvedImage> images = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        if (Manifests.isIndex(top.mediaType(), top.body())) {
            Manifests.ImageIndex index = Manifests.index(top);
            for (Manifests.IndexEntry entry : index.manifests()) {
                if (entry.digest() == null || entry.os() == null || entry.architecture() == null
                        || "unknown".equals(entry.os())) {
                    // Attestations and other non-runnable entries carry no (or an unknown) platform.
                    continue;
                }
                Platform platform = new Platform(entry.os(), entry.architecture(), entry.variant());
                try {
                    Document child = client.manifest(repository, entry.digest());
                    images.add(image(client, repository, child, platform, index.annotations()));
                } catch (Manifests.UnsupportedManifestException e) {
                    skipped.add(platform.value() + " " + entry.digest() + ": " + e.getMessage());
                }
            }
            if (images.isEmpty() && skipped.isEmpty()) {
                skipped.add("index lists no runnable platform");
            }
        } else {
            images.add(image(client, repository, top, null, Map.of()));
        }
        return new Resolution(images, skipped);
    }

    private static ResolvedImage image(RegistryClient client, String repository, Document document,
            Platform indexPlatform, Map<String, String> indexAnnotations) {
        Manifests.ImageManifest manifest = Manifests.image(document);
        Manifests.ImageConfig config = Manifests.config(client.blob(repository, manifest.configDigest()));
        Platform platform = indexPlatform;
        if (platform == null && config.os() != null && config.architecture() != null) {
            platform = new Platform(config.os(), config.architecture(), config.variant());
        }
        // The index's annotations describe every platform; a platform manifest's own annotations win.
        Map<String, String> annotations = new LinkedHashMap<>(indexAnnotations);
        annotations.putAll(manifest.annotations());
        String mediaType = document.mediaType() != null ? document.mediaType() : RegistryClient.OCI_MANIFEST;
        return new ResolvedImage(document.digest(), mediaType, platform,
                manifest.configSize() + manifest.layersSize(), config.created(), config.labels(), annotations);
    }
}
