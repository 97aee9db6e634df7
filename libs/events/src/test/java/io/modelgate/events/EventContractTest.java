package io.modelgate.events;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import static org.assertj.core.api.Assertions.assertThat;

/** Every registered event round-trips through JSON and matches its JSON Schema exactly. */
class EventContractTest {

    static Stream<Named<EventType<?>>> types() {
        return EventTypes.all().stream().map(t -> Named.of(t.javaType().getSimpleName(), t));
    }

    @ParameterizedTest
    @MethodSource("types")
    void fullSampleIsFullyPopulated(EventType<?> type) {
        // Otherwise a field added later could silently escape the round-trip and schema tests.
        assertFullyPopulated(SampleEvents.full(type), type.javaType().getSimpleName());
    }

    @ParameterizedTest
    @MethodSource("types")
    void fullEventRoundTrips(EventType<?> type) {
        ModelgateEvent event = SampleEvents.full(type);
        assertThat(event).isInstanceOf(type.javaType());

        byte[] json = EventJson.write(event);

        assertThat(EventJson.read(json, type.javaType())).isEqualTo(event);
    }

    @ParameterizedTest
    @MethodSource("types")
    void fullEventValidatesAgainstSchema(EventType<?> type) throws Exception {
        JsonNode json = EventJson.mapper().readTree(EventJson.write(SampleEvents.full(type)));

        assertThat(Schemas.validate(type, json)).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("types")
    void minimalEventRoundTripsAndValidates(EventType<?> type) throws Exception {
        ModelgateEvent event = SampleEvents.minimal(type);
        byte[] json = EventJson.write(event);

        assertThat(EventJson.read(json, type.javaType())).isEqualTo(event);
        assertThat(Schemas.validate(type, EventJson.mapper().readTree(json))).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("types")
    void schemaIsValidDraft202012WithMatchingId(EventType<?> type) {
        JsonNode schema = Schemas.node(type);

        assertThat(Schemas.metaSchema().validate(schema)).isEmpty();
        assertThat(schema.path("$schema").asText()).isEqualTo("https://json-schema.org/draft/2020-12/schema");
        assertThat(type.schemaResource()).isEqualTo("/schemas/" + type.javaType().getSimpleName() + ".v"
                + type.version() + ".json");
        assertThat(schema.path("$id").asText())
                .isEqualTo("https://modelgate.io/schemas" + type.schemaResource().substring("/schemas".length()));
        assertThat(schema.path("additionalProperties").asBoolean(false)).isTrue();
        assertThat(schema.at("/properties/schemaVersion/const").asInt()).isEqualTo(type.version());
    }

    @ParameterizedTest
    @MethodSource("types")
    void schemaPropertiesAndEnumsMatchTheRecords(EventType<?> type) {
        JsonNode schema = Schemas.node(type);
        assertMatches(schema, schema, type.javaType(), type.javaType().getSimpleName());
    }

    /**
     * Removing a field from a full payload must be rejected by the schema exactly when it is rejected by the
     * record, so the schema and the Java contract agree on what is required.
     */
    @ParameterizedTest
    @MethodSource("types")
    void schemaRequiredFieldsMatchRecordValidation(EventType<?> type) throws Exception {
        JsonNode schema = Schemas.node(type);
        ObjectNode json = (ObjectNode) EventJson.mapper().readTree(EventJson.write(SampleEvents.full(type)));
        assertRequiredMatches(type, schema, schema, json, type.javaType(), List.of());
    }

    private static void assertRequiredMatches(EventType<?> type, JsonNode schemaRoot, JsonNode objectSchema,
            ObjectNode json, Class<?> recordType, List<String> path) {
        Set<String> required = new LinkedHashSet<>();
        objectSchema.path("required").forEach(n -> required.add(n.asText()));
        for (RecordComponent component : recordType.getRecordComponents()) {
            String name = component.getName();
            List<String> fieldPath = append(path, name);
            String where = type.javaType().getSimpleName() + "." + String.join(".", fieldPath);
            if (component.getType().isPrimitive()) {
                // Primitives are always written, so a producer must always send them.
                assertThat(required).as(where + " (primitive) is required in the schema").contains(name);
                continue;
            }
            ObjectNode without = json.deepCopy();
            parent(without, fieldPath).remove(name);
            boolean schemaAccepts = Schemas.validate(type, without).isEmpty();
            boolean javaAccepts = accepts(type, without);
            if (required.contains(name)) {
                assertThat(schemaAccepts).as("schema accepts payload without required " + where).isFalse();
                assertThat(javaAccepts).as("record accepts payload without required " + where).isFalse();
            } else {
                assertThat(schemaAccepts).as("schema rejects payload without optional " + where).isTrue();
                assertThat(javaAccepts).as("record rejects payload without optional " + where).isTrue();
            }
            if (component.getType().isRecord()) {
                assertRequiredMatches(type, schemaRoot, resolve(schemaRoot, objectSchema.path("properties").path(name)),
                        json, component.getType(), fieldPath);
            }
        }
    }

    private static void assertMatches(JsonNode schemaRoot, JsonNode objectSchema, Class<?> recordType, String where) {
        Set<String> componentNames = new LinkedHashSet<>();
        Arrays.stream(recordType.getRecordComponents()).forEach(c -> componentNames.add(c.getName()));
        Set<String> schemaNames = new LinkedHashSet<>();
        objectSchema.path("properties").fieldNames().forEachRemaining(schemaNames::add);
        assertThat(schemaNames).as("schema properties of " + where)
                .containsExactlyInAnyOrderElementsOf(
                        componentNames);
        assertThat(objectSchema.path("type").asText()).as(where + " type").isEqualTo("object");

        for (RecordComponent component : recordType.getRecordComponents()) {
            String path = where + "." + component.getName();
            JsonNode property = resolve(schemaRoot, objectSchema.path("properties").path(component.getName()));
            Class<?> javaType = component.getType();
            Type elementType = null;
            if (List.class.isAssignableFrom(javaType)) {
                assertThat(property.path("type").asText()).as(path).isEqualTo("array");
                elementType = ((ParameterizedType) component.getGenericType()).getActualTypeArguments()[0];
                property = resolve(schemaRoot, property.path("items"));
                javaType = (Class<?>) elementType;
            }
            if (javaType.isRecord()) {
                assertMatches(schemaRoot, property, javaType, path);
            } else if (javaType.isEnum()) {
                List<String> constants = Arrays.stream(javaType.getEnumConstants())
                        .map(c -> ((Enum<?>) c).name())
                        .toList();
                List<String> schemaValues = new ArrayList<>();
                property.path("enum").forEach(n -> schemaValues.add(n.asText()));
                assertThat(schemaValues).as("enum values of " + path).containsExactlyElementsOf(constants);
            } else {
                assertThat(property.path("type").asText()).as("type of " + path).isEqualTo(jsonType(javaType));
            }
        }
    }

    private static String jsonType(Class<?> javaType) {
        if (javaType == int.class || javaType == long.class || javaType == Integer.class || javaType == Long.class) {
            return "integer";
        } else if (javaType == boolean.class) {
            return "boolean";
        } else if (Map.class.isAssignableFrom(javaType)) {
            return "object";
        }
        return "string";
    }

    private static JsonNode resolve(JsonNode schemaRoot, JsonNode node) {
        JsonNode ref = node.get("$ref");
        if (ref == null) {
            return node;
        }
        assertThat(ref.asText()).startsWith("#/$defs/");
        JsonNode target = schemaRoot.at(ref.asText().substring(1));
        assertThat(target.isMissingNode()).as("unresolved " + ref.asText()).isFalse();
        return resolve(schemaRoot, target);
    }

    private static boolean accepts(EventType<?> type, JsonNode json) {
        try {
            EventJson.read(EventJson.mapper().writeValueAsBytes(json), type.javaType());
            return true;
        } catch (EventFormatException e) {
            return false;
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static ObjectNode parent(ObjectNode root, List<String> path) {
        ObjectNode node = root;
        for (String name : path.subList(0, path.size() - 1)) {
            node = (ObjectNode) node.get(name);
        }
        return node;
    }

    private static List<String> append(List<String> path, String name) {
        List<String> result = new ArrayList<>(path);
        result.add(name);
        return result;
    }

    private static void assertFullyPopulated(Object value, String where) {
        assertThat(value).as(where + " is null").isNotNull();
        if (value instanceof Collection<?> c) {
            assertThat(c).as(where + " is empty").isNotEmpty();
        } else if (value instanceof Map<?, ?> m) {
            assertThat(m).as(where + " is empty").isNotEmpty();
        } else if (value.getClass().isRecord()) {
            for (RecordComponent component : value.getClass().getRecordComponents()) {
                try {
                    assertFullyPopulated(component.getAccessor().invoke(value), where + "." + component.getName());
                } catch (ReflectiveOperationException e) {
                    throw new AssertionError(e);
                }
            }
        }
    }
}
