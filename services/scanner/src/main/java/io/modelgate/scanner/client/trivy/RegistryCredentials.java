package io.modelgate.scanner.client.trivy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Credentials for one registry, handed to Trivy only through its environment ({@code TRIVY_USERNAME},
 * {@code TRIVY_PASSWORD}, {@code TRIVY_REGISTRY_TOKEN}): a command line is visible to every user of the host.
 */
public record RegistryCredentials(Optional<String> username, Optional<String> password,
        Optional<String> registryToken) {

    private static final RegistryCredentials NONE = new RegistryCredentials(Optional.empty(), Optional.empty(),
            Optional.empty());

    public RegistryCredentials {
        username = username == null ? Optional.empty() : username.filter(s -> !s.isEmpty());
        password = password == null ? Optional.empty() : password.filter(s -> !s.isEmpty());
        registryToken = registryToken == null ? Optional.empty() : registryToken.filter(s -> !s.isEmpty());
    }

    /** Where a scan finds the credentials of the registry it pulls from. */
    @FunctionalInterface
    public interface Lookup {
        /** The credentials for {@code registry} ({@code host[:port]}); {@link #none()} when it has none. */
        RegistryCredentials forRegistry(String registry);
    }

    /** Anonymous pulls. */
    public static RegistryCredentials none() {
        return NONE;
    }

    /** Trivy's environment variables for these credentials. */
    public Map<String, String> environment() {
        Map<String, String> env = new HashMap<>();
        username.ifPresent(v -> env.put("TRIVY_USERNAME", v));
        password.ifPresent(v -> env.put("TRIVY_PASSWORD", v));
        registryToken.ifPresent(v -> env.put("TRIVY_REGISTRY_TOKEN", v));
        return env;
    }

    /** Replaces every secret value in {@code text}, so a registry error echoed by Trivy cannot leak it. */
    public String redact(String text) {
        String result = text;
        for (Optional<String> secret : List.of(password, registryToken)) {
            if (secret.isPresent()) {
                result = result.replace(secret.get(), "***");
            }
        }
        return result;
    }

    @Override
    public String toString() {
        return "RegistryCredentials[username=" + username.orElse("") + ", password="
                + (password.isPresent() ? "***" : "") + ", registryToken=" + (registryToken.isPresent() ? "***" : "")
                + "]";
    }
}
