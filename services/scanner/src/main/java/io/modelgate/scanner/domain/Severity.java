package io.modelgate.scanner.domain;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** Trivy's severities, lowest first, so {@code compareTo} orders them. */
public enum Severity {
    UNKNOWN, LOW, MEDIUM, HIGH, CRITICAL;

    /** The severity Trivy printed; anything it should not print counts as {@link #UNKNOWN}. */
    public static Severity fromTrivy(String value) {
        return parse(value).orElse(UNKNOWN);
    }

    /** The severity named {@code value} (any case), or empty. */
    public static Optional<Severity> parse(String value) {
        if (value == null) {
            return Optional.empty();
        }
        String upper = value.strip().toUpperCase(Locale.ROOT);
        return Arrays.stream(values()).filter(s -> s.name().equals(upper)).findFirst();
    }
}
