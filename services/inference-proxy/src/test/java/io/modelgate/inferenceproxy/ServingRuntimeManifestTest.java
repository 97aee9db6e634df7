package io.modelgate.inferenceproxy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import io.modelgate.testing.KServeSchemas;

import static org.assertj.core.api.Assertions.assertThat;

/** The modelgate-proxy ServingRuntime is a valid KServe object and matches what this service listens on and reads. */
class ServingRuntimeManifestTest {

    private static final Path MANIFEST = Path.of("../../infra/kubernetes/serving-runtimes/modelgate-proxy.yaml");

    @Test
    void manifestIsAValidServingRuntime() throws IOException {
        KServeSchemas.assertValid(Files.readString(MANIFEST));
    }

    @Test
    void manifestMatchesTheProxysContract() throws IOException {
        JsonNode container = new ObjectMapper(new YAMLFactory()).readTree(MANIFEST.toFile())
                .path("spec")
                .path("containers")
                .get(0);
        assertThat(container.path("name").asText()).isEqualTo("kserve-container");
        assertThat(container.path("ports").get(0).path("containerPort").asInt()).isEqualTo(8080);
        assertThat(container.path("readinessProbe").path("httpGet").path("path").asText()).isEqualTo("/q/health/ready");
        assertThat(container.path("env").findValuesAsText("name")).contains("MODELGATE_PROXY_API_KEY_FILE");
        // The key comes from a mounted Secret file, never from a literal in the runtime.
        assertThat(container.path("env").findValuesAsText("name")).doesNotContain("MODELGATE_PROXY_API_KEY");
    }
}
