package io.modelgate.events;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

/** Test helper that loads the event schemas from the classpath, as a non-Java consumer would use them. */
final class Schemas {

    static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);

    // 2020-12 treats format as an annotation by default; assert it so uuid and date-time are really checked.
    static final SchemaValidatorsConfig CONFIG = SchemaValidatorsConfig.builder()
            .formatAssertionsEnabled(true)
            .build();

    private static final Map<String, JsonSchema> CACHE = new ConcurrentHashMap<>();

    private Schemas() {
    }

    static JsonNode node(EventType<?> type) {
        try (InputStream in = open(type)) {
            return EventJson.mapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonSchema schema(EventType<?> type) {
        return CACHE.computeIfAbsent(type.schemaResource(), resource -> {
            try (InputStream in = open(type)) {
                return FACTORY.getSchema(in, CONFIG);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    static Set<ValidationMessage> validate(EventType<?> type, JsonNode json) {
        return schema(type).validate(json);
    }

    static JsonSchema metaSchema() {
        return FACTORY.getSchema(SchemaLocation.of("https://json-schema.org/draft/2020-12/schema"), CONFIG);
    }

    private static InputStream open(EventType<?> type) {
        InputStream in = Schemas.class.getResourceAsStream(type.schemaResource());
        if (in == null) {
            throw new IllegalStateException("schema not on the classpath: " + type.schemaResource());
        }
        return in;
    }
}
