package io.modelgate.registrysync.persistence;

import java.util.List;
import java.util.Map;

import jakarta.persistence.AttributeConverter;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/** Small lists and maps stored as one JSON text column: they are always read and written whole. */
public final class JsonConverters {

    private static final ObjectMapper MAPPER = JsonMapper.builder().build();

    private JsonConverters() {
    }

    /** A list of strings. */
    public static class Strings extends Base<List<String>> {
        public Strings() {
            super(new TypeReference<>() {
            });
        }
    }

    /** A string-to-string map. */
    public static class StringMap extends Base<Map<String, String>> {
        public StringMap() {
            super(new TypeReference<>() {
            });
        }
    }

    abstract static class Base<T> implements AttributeConverter<T, String> {
        private final TypeReference<T> type;

        Base(TypeReference<T> type) {
            this.type = type;
        }

        @Override
        public String convertToDatabaseColumn(T value) {
            try {
                return value == null ? null : MAPPER.writeValueAsString(value);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("Not writable as JSON", e);
            }
        }

        @Override
        public T convertToEntityAttribute(String json) {
            try {
                return json == null ? null : MAPPER.readValue(json, type);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("Stored JSON is unreadable", e);
            }
        }
    }
}
