package io.modelgate.events;

import java.util.List;
import java.util.Map;

/** Defensive copies shared by the records, so a producer cannot mutate an event after it was created. */
final class Values {

    private Values() {
    }

    /** Null becomes empty, so consumers never have to null-check a collection. */
    static <T> List<T> list(List<T> values) {
        return values == null ? List.of() : List.copyOf(values);
    }

    static <K, V> Map<K, V> map(Map<K, V> values) {
        return values == null ? Map.of() : Map.copyOf(values);
    }

    static int nonNegative(int value, String field) {
        if (value < 0) {
            throw new IllegalArgumentException(field + " must not be negative: " + value);
        }
        return value;
    }

    /**
     * A record class is one payload version; a payload of another version must not be read into it silently
     * but go to the dead-letter topic.
     */
    static void requireSchemaVersion(int schemaVersion, int expected) {
        if (schemaVersion != expected) {
            throw new IllegalArgumentException("schemaVersion must be " + expected + ": " + schemaVersion);
        }
    }
}
