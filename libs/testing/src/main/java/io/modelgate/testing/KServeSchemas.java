package io.modelgate.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

/**
 * Validates KServe objects against the OpenAPI v3 schemas of their CRDs, as the Kubernetes API server of a real
 * cluster would; the mock server stores anything, so tests call this on every object a service writes.
 */
public final class KServeSchemas {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Map<String, String> CRD_BY_KIND = Map.of(
            "InferenceService", "/kserve/serving.kserve.io_inferenceservices.yaml",
            "ServingRuntime", "/kserve/serving.kserve.io_servingruntimes.yaml",
            "ClusterServingRuntime", "/kserve/serving.kserve.io_clusterservingruntimes.yaml");
    private static final Map<String, JsonSchema> SCHEMAS = new ConcurrentHashMap<>();

    private KServeSchemas() {
    }

    /** The schema violations of a KServe object given as YAML or JSON; empty when it is valid. */
    public static List<String> violations(String document) {
        try {
            return violations(YAML.readTree(document));
        } catch (IOException e) {
            return List.of("not YAML or JSON: " + e.getMessage().lines().findFirst().orElse(""));
        }
    }

    /** The schema violations of a KServe object; empty when it is valid. */
    public static List<String> violations(JsonNode object) {
        String kind = object.path("kind").asText();
        String apiVersion = object.path("apiVersion").asText();
        if (!CRD_BY_KIND.containsKey(kind) || !apiVersion.startsWith("serving.kserve.io/")) {
            return List.of("not a KServe object: " + apiVersion + " " + kind);
        }
        String version = apiVersion.substring(apiVersion.indexOf('/') + 1);
        JsonSchema schema = SCHEMAS.computeIfAbsent(kind + "/" + version, key -> load(kind, version));
        return schema.validate(object).stream().map(ValidationMessage::getMessage).sorted().toList();
    }

    /** Fails with every violation listed unless the object is valid. */
    public static void assertValid(String document) {
        List<String> violations = violations(document);
        if (!violations.isEmpty()) {
            throw new AssertionError("Invalid KServe object:\n  " + String.join("\n  ", violations));
        }
    }

    private static JsonSchema load(String kind, String version) {
        try (InputStream in = KServeSchemas.class.getResourceAsStream(CRD_BY_KIND.get(kind))) {
            JsonNode crd = YAML.readTree(in);
            for (JsonNode candidate : crd.path("spec").path("versions")) {
                if (candidate.path("name").asText().equals(version)) {
                    // CRD schemas are OpenAPI v3 structural schemas: draft 4 keywords, x-kubernetes-* extensions.
                    return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4)
                            .getSchema(candidate.path("schema").path("openAPIV3Schema"));
                }
            }
            throw new IllegalArgumentException(kind + " has no version " + version + " in its CRD");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
