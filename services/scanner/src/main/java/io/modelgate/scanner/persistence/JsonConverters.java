package io.modelgate.scanner.persistence;

import java.util.List;

import jakarta.persistence.AttributeConverter;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import io.modelgate.scanner.domain.Finding;

/** Lists stored as one JSON column: a scan's findings and reasons are always read and written whole. */
public final class JsonConverters {

    private static final ObjectMapper MAPPER = JsonMapper.builder().build();

    private JsonConverters() {
    }

    /** A scan's findings. */
    public static class Findings extends Base<Finding> {
        public Findings() {
            super(new TypeReference<>() {
            });
        }
    }

    /** A verdict's reasons. */
    public static class Strings extends Base<String> {
        public Strings() {
            super(new TypeReference<>() {
            });
        }
    }

    abstract static class Base<T> implements AttributeConverter<List<T>, String> {
        private final TypeReference<List<T>> type;

        Base(TypeReference<List<T>> type) {
            this.type = type;
        }

        @Override
        public String convertToDatabaseColumn(List<T> value) {
            try {
                return value == null ? null : MAPPER.writeValueAsString(value);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("Not writable as JSON", e);
            }
        }

        @Override
        public List<T> convertToEntityAttribute(String json) {
            try {
                return json == null ? null : MAPPER.readValue(json, type);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("Stored JSON is unreadable", e);
            }
        }
    }
}
