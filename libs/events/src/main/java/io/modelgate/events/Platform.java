package io.modelgate.events;

import java.util.Objects;

/**
 * OS and CPU architecture of an image, as in an OCI image index; serving uses it to pick nodes that can run
 * the image.
 *
 * @param os e.g. {@code linux}
 * @param architecture e.g. {@code amd64}, {@code arm64}
 * @param variant e.g. {@code v8}; null if none
 */
public record Platform(String os, String architecture, String variant) {

    public Platform {
        Objects.requireNonNull(os, "os");
        Objects.requireNonNull(architecture, "architecture");
    }

    /** The {@code os/architecture[/variant]} notation used by Docker and OCI tooling. */
    public String value() {
        return variant == null ? os + "/" + architecture : os + "/" + architecture + "/" + variant;
    }

    /**
     * Parses {@code os/architecture[/variant]}.
     *
     * @throws IllegalArgumentException if the value does not have two or three non-empty parts
     */
    public static Platform parse(String value) {
        Objects.requireNonNull(value, "value");
        String[] parts = value.split("/", -1);
        if (parts.length < 2 || parts.length > 3) {
            throw new IllegalArgumentException("platform must be os/architecture[/variant]: " + value);
        }
        for (String part : parts) {
            if (part.isBlank()) {
                throw new IllegalArgumentException("platform must be os/architecture[/variant]: " + value);
            }
        }
        return new Platform(parts[0], parts[1], parts.length == 3 ? parts[2] : null);
    }
}
