package io.modelgate.inferenceproxy.client;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import jakarta.enterprise.context.ApplicationScoped;

import io.modelgate.inferenceproxy.config.ProxyConfig;

/**
 * The provider's key, from a mounted Secret file or the environment, and nowhere else. It is only ever written into
 * the upstream {@code Authorization} header: never logged, never returned.
 */
@ApplicationScoped
public class ProviderKey {

    private final String key;

    public ProviderKey(ProxyConfig config) {
        this.key = config.apiKeyFile()
                .map(ProviderKey::read)
                .or(config::apiKey)
                .map(String::strip)
                .filter(k -> !k.isEmpty())
                .orElseThrow(() -> new IllegalStateException("No provider key: set modelgate.proxy.api-key-file to"
                        + " the mounted Secret (or MODELGATE_PROXY_API_KEY for a local run)"));
    }

    /** The value of the upstream {@code Authorization} header. */
    public String authorization() {
        return "Bearer " + key;
    }

    @Override
    public String toString() {
        return "ProviderKey[****]";
    }

    private static String read(String file) {
        try {
            return Files.readString(Path.of(file));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the provider key file " + file, e);
        }
    }
}
