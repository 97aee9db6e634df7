package io.modelgate.events;

import java.io.IOException;
import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/**
 * The one JSON mapping of event payloads, used by every producer and consumer so that all services agree on
 * the wire format regardless of how each configures its own Quarkus ObjectMapper.
 */
public final class EventJson {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            // Producers may add fields and enum values before every consumer is upgraded.
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.READ_UNKNOWN_ENUM_VALUES_USING_DEFAULT_VALUE)
            // Absent rather than null: optional fields are simply omitted, as the JSON Schemas describe.
            .defaultPropertyInclusion(JsonInclude.Value.construct(JsonInclude.Include.NON_NULL,
                    JsonInclude.Include.NON_NULL))
            .build();

    private EventJson() {
    }

    /** The shared mapper; do not reconfigure it (use {@code mapper().copy()} for a variant). */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /** Serializes an event payload to UTF-8 JSON. */
    public static byte[] write(ModelgateEvent event) {
        Objects.requireNonNull(event, "event");
        try {
            return MAPPER.writeValueAsBytes(event);
        } catch (JsonProcessingException e) {
            throw new EventFormatException("cannot write " + event.getClass().getSimpleName(), e);
        }
    }

    /**
     * Deserializes a payload; also fails when the record's constructor rejects it (a missing required field
     * or a malformed digest), so an invalid event never reaches business code.
     */
    public static <T> T read(byte[] json, Class<T> type) {
        Objects.requireNonNull(json, "json");
        Objects.requireNonNull(type, "type");
        try {
            return MAPPER.readValue(json, type);
        } catch (IOException e) {
            throw new EventFormatException("cannot read " + type.getSimpleName() + ": " + e.getMessage(), e);
        }
    }
}
