package io.modelgate.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KServeSchemasTest {

    @Test
    void theStockRuntimesAreValid() throws IOException {
        for (String runtime : new String[]{"vllmserver", "huggingfaceserver", "tritonserver"}) {
            assertThat(KServeSchemas.violations(resource("/kserve/runtime-kserve-" + runtime + ".yaml")))
                    .as(runtime)
                    .isEmpty();
        }
    }

    @Test
    void aValidInferenceServicePasses() {
        KServeSchemas.assertValid("""
                apiVersion: serving.kserve.io/v1beta1
                kind: InferenceService
                metadata: {name: llama, namespace: models}
                spec:
                  predictor:
                    minReplicas: 1
                    model:
                      modelFormat: {name: vLLM}
                      storageUri: oci://registry.example.com/models/llama@sha256:abc
                      resources:
                        limits: {nvidia.com/gpu: "1", memory: 24Gi}
                """);
    }

    @Test
    void wrongTypesAndUnknownShapesAreReported() {
        String invalid = """
                apiVersion: serving.kserve.io/v1beta1
                kind: InferenceService
                metadata: {name: llama}
                spec:
                  predictor:
                    minReplicas: "one"
                    model:
                      modelFormat: "vLLM"
                """;
        assertThat(KServeSchemas.violations(invalid)).anyMatch(v -> v.contains("minReplicas"))
                .anyMatch(v -> v.contains("modelFormat"));
        assertThatThrownBy(() -> KServeSchemas.assertValid(invalid)).isInstanceOf(AssertionError.class)
                .hasMessageContaining("minReplicas");
    }

    @Test
    void nonKServeObjectsAreRefused() {
        assertThat(KServeSchemas.violations("apiVersion: v1\nkind: ConfigMap\n")).containsExactly(
                "not a KServe object: v1 ConfigMap");
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = KServeSchemasTest.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
