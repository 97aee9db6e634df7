package io.modelgate.scanner.persistence;

import java.util.List;

import jakarta.persistence.AttributeConverter;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import io.modelgate.events.EventJson;
import io.modelgate.events.ImageDescriptor;
import io.modelgate.scanner.domain.Finding;

/**
 * Values stored as one JSON column, always read and written whole: a scan's findings and reasons, and the discovered
 * image (in the events' own mapping, {@link EventJson}, so it reads back exactly as the discovery carried it).
 */
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

    /** The image descriptor a discovery carried. */
    public static class Image implements AttributeConverter<ImageDescriptor, String> {

        @Override
        public String convertToDatabaseColumn(ImageDescriptor image) {
            try {
                return image == null ? null : EventJson.mapper().writeValueAsString(image);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("Not writable as JSON", e);
            }
        }

        @Override
        public ImageDescriptor convertToEntityAttribute(String json) {
            try {
                return json == null ? null : EventJson.mapper().readValue(json, ImageDescriptor.class);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("Stored JSON is unreadable", e);
            }
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
