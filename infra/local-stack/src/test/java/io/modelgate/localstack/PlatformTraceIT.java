package io.modelgate.localstack;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.modelgate.testing.FreePorts;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The first hour as a test: the whole local stack (every service from its built jar, real Kafka, PostgreSQL, registry,
 * Zipkin, the simulated KServe controller and the AIDB stand-in) runs the demo, and each image's trace in Zipkin must
 * be one chain from registry-sync's webhook to model-sync's AIDB registration, hop by hop.
 */
class PlatformTraceIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static LocalStack stack;
    private static Path data;

    @BeforeAll
    static void startStack() throws Exception {
        Path root = Path.of(System.getProperty("modelgate.root", "../..")).toAbsolutePath().normalize();
        data = Files.createTempDirectory("modelgate-stack");
        Map<String, Integer> ports = new LinkedHashMap<>();
        for (String service : List.of("registry-sync", "scanner", "approval", "serving", "model-sync")) {
            ports.put(service, FreePorts.next());
        }
        stack = LocalStack.start(new LocalStack.Options(root, data, FreePorts.next(), FreePorts.next(),
                FreePorts.next(), ports, false));
    }

    @AfterAll
    static void stopStack() throws IOException {
        if (stack != null) {
            stack.close();
        }
        // The stack's PostgreSQL and registry data: a few hundred MB per run, not worth keeping.
        try (var paths = Files.walk(data)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }

    @Test
    void eachImageIsOneTraceFromTheWebhookToTheAidbRegistration() throws Exception {
        List<Demo.Walk> walks = new Demo(stack.platform(), stack.registryUrl(), stack.aidbJdbcUrl(),
                stack.zipkinUrl(), false).run();

        assertThat(walks).hasSize(2);
        for (Demo.Walk walk : walks) {
            // The demo walked it all the way: approved, deployed, registered in the AIDB stand-in.
            assertThat(walk.aidbName()).isNotBlank();
            assertThat(walk.stepMillis()).containsKeys("discovery", "scan", "policy", "deploy", "ready", "aidb");

            List<JsonNode> trace = awaitTrace(walk.digest());
            Map<String, JsonNode> byId = new HashMap<>();
            trace.forEach(span -> byId.put(span.path("id").asText(), span));
            JsonNode aidb = trace.stream()
                    .filter(span -> service(span).equals("model-sync") && span.path("kind").asText().equals("CONSUMER"))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no model-sync consumer span in " + names(trace)));

            // Walk up from the AIDB registration to the root: every hop's parent must be in the same trace.
            List<String> path = new ArrayList<>();
            JsonNode span = aidb;
            while (span != null) {
                path.add(service(span) + ":" + span.path("kind").asText("INTERNAL") + ":" + span.path("name").asText());
                String parent = span.path("parentId").asText(null);
                span = parent == null ? null : byId.get(parent);
                if (parent != null && span == null) {
                    throw new AssertionError("span parent " + parent + " missing from the trace; path so far "
                            + path);
                }
            }
            List<String> services = new ArrayList<>();
            for (String hop : path) {
                String service = hop.substring(0, hop.indexOf(':'));
                if (services.isEmpty() || !services.get(services.size() - 1).equals(service)) {
                    services.add(service);
                }
            }
            assertThat(services).as("services from the AIDB registration back to the webhook: %s", path)
                    .containsExactly("model-sync", "serving", "approval", "scanner", "registry-sync");
            String root = path.get(path.size() - 1);
            assertThat(root).as("the trace starts at registry-sync's webhook")
                    .startsWith("registry-sync:SERVER:")
                    .contains("webhooks");
            // Every Kafka hop is a producer span followed by the consumer span of the next service.
            assertThat(path).anyMatch(hop -> hop.startsWith("registry-sync:PRODUCER:"))
                    .anyMatch(hop -> hop.startsWith("scanner:CONSUMER:"))
                    .anyMatch(hop -> hop.startsWith("scanner:PRODUCER:"))
                    .anyMatch(hop -> hop.startsWith("approval:CONSUMER:"))
                    .anyMatch(hop -> hop.startsWith("approval:PRODUCER:"))
                    .anyMatch(hop -> hop.startsWith("serving:CONSUMER:"))
                    .anyMatch(hop -> hop.startsWith("serving:PRODUCER:"));
        }
    }

    /** The trace whose registry-sync publish span carries the digest as its Kafka key, once model-sync is in it. */
    private static List<JsonNode> awaitTrace(String digest) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        URI query = URI.create(stack.zipkinUrl() + "/api/v2/traces?limit=10&lookback=3600000&annotationQuery="
                + Platform.query("messaging.kafka.message.key=" + digest));
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        List<JsonNode> last = List.of();
        while (System.nanoTime() < deadline) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(query).build(),
                    HttpResponse.BodyHandlers.ofString());
            JsonNode traces = JSON.readTree(response.body());
            for (JsonNode trace : traces) {
                List<JsonNode> spans = new ArrayList<>();
                trace.forEach(spans::add);
                last = spans;
                if (spans.stream().anyMatch(s -> service(s).equals("model-sync"))) {
                    assertThat(traces.size()).as("one trace per image").isEqualTo(1);
                    return spans;
                }
            }
            Thread.sleep(500);
        }
        throw new AssertionError("No trace reaching model-sync for " + digest + "; last seen: " + names(last));
    }

    private static String service(JsonNode span) {
        return span.path("localEndpoint").path("serviceName").asText("");
    }

    private static List<String> names(List<JsonNode> spans) {
        return spans.stream()
                .map(s -> service(s) + ":" + s.path("kind").asText() + ":" + s.path("name").asText())
                .toList();
    }
}
