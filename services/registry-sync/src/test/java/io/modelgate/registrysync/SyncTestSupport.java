package io.modelgate.registrysync;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import io.modelgate.events.EventJson;
import io.modelgate.events.RegistryImageDiscovered;
import io.modelgate.events.Topics;
import io.modelgate.platform.security.Roles;
import io.modelgate.testing.KafkaTestClient;
import io.modelgate.testing.OciImages;
import io.modelgate.testing.TestTokens;
import io.restassured.path.json.JsonPath;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

/** Drives registry-sync through its API in tests: connections, rules, runs, and the events they emit. */
public final class SyncTestSupport {

    public static final String ADMIN = TestTokens.forUser("ada", Roles.ADMIN);
    public static final String VIEWER = TestTokens.forUser("vera", Roles.VIEWER);

    private SyncTestSupport() {
    }

    /** A created connection: its id and the webhook secret shown once. */
    public record Connection(String id, String webhookSecret) {
    }

    public static Connection connection(String name, String baseUrl, Map<String, Object> extra) {
        Map<String, Object> body = new java.util.HashMap<>(Map.of("name", name, "type", "DISTRIBUTION", "baseUrl",
                baseUrl, "plainHttp", true, "pollIntervalSeconds", 0));
        body.putAll(extra);
        JsonPath created = given().auth()
                .oauth2(ADMIN)
                .contentType("application/json")
                .body(body)
                .post("/api/v1/connections")
                .then()
                .statusCode(201)
                .extract()
                .jsonPath();
        return new Connection(created.getString("connection.id"), created.getString("webhookSecret"));
    }

    public static String rule(String connectionId, Map<String, Object> rule) {
        return given().auth()
                .oauth2(ADMIN)
                .contentType("application/json")
                .body(rule)
                .post("/api/v1/connections/" + connectionId + "/rules")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
    }

    /** Starts a run and waits for it to finish; returns the finished run. */
    public static JsonPath syncAndWait(String connectionId) {
        String runId = given().auth()
                .oauth2(ADMIN)
                .post("/api/v1/connections/" + connectionId + "/sync")
                .then()
                .statusCode(202)
                .extract()
                .path("id");
        return awaitRun(connectionId, runId);
    }

    public static JsonPath awaitRun(String connectionId, String runId) {
        JsonPath[] run = new JsonPath[1];
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> {
            run[0] = given().auth()
                    .oauth2(VIEWER)
                    .get("/api/v1/connections/" + connectionId + "/runs/" + runId)
                    .then()
                    .statusCode(200)
                    .extract()
                    .jsonPath();
            return !"RUNNING".equals(run[0].getString("status"));
        });
        return run[0];
    }

    /** Waits for {@code count} discoveries of a connection on Kafka. */
    public static List<RegistryImageDiscovered> events(String connectionId, int count) {
        return KafkaTestClient.shared()
                .awaitAll(Topics.REGISTRY_IMAGES, r -> ofConnection(r, connectionId), count, Duration.ofSeconds(30))
                .stream()
                .map(r -> EventJson.read(r.value(), RegistryImageDiscovered.class))
                .toList();
    }

    public static boolean ofConnection(ConsumerRecord<String, byte[]> record, String connectionId) {
        try {
            return connectionId.equals(EventJson.read(record.value(), RegistryImageDiscovered.class)
                    .image()
                    .connectionId());
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** Rows of the outbox announcing images of this connection (what was emitted, without waiting for Kafka). */
    public static long announced(jakarta.persistence.EntityManager em, String connectionId) {
        return io.quarkus.narayana.jta.QuarkusTransaction.requiringNew()
                .call(() -> ((Number) em
                        .createNativeQuery("select count(*) from discovered_image where connection_id = ?1")
                        .setParameter(1, connectionId)
                        .getSingleResult()).longValue());
    }

    /**
     * Pushes a multi-platform OCI index under {@code tag}: one image per platform (pushed first under
     * {@code tag-<arch>}), then the index by manifest PUT, as {@code docker buildx} or {@code oras} would.
     */
    public static String pushIndex(OciImages images, String registryUrl, String authorization, String repository,
            String tag, Map<String, String> annotations, String... architectures) {
        StringBuilder manifests = new StringBuilder();
        for (String arch : architectures) {
            OciImages.Pushed pushed = images.push(repository, tag + "-" + arch, "weights for " + arch, Map.of(),
                    Map.of());
            if (!manifests.isEmpty()) {
                manifests.append(',');
            }
            manifests.append("{\"mediaType\":\"")
                    .append(OciImages.MANIFEST_MEDIA_TYPE)
                    .append("\",\"digest\":\"")
                    .append(pushed.digest())
                    .append("\",\"size\":")
                    .append(pushed.manifest().length)
                    .append(",\"platform\":{\"os\":\"linux\",\"architecture\":\"")
                    .append(arch)
                    .append("\"}}");
        }
        StringBuilder annotationJson = new StringBuilder("{");
        annotations.forEach((k, v) -> annotationJson.append(annotationJson.length() > 1 ? "," : "")
                .append('"')
                .append(k)
                .append("\":\"")
                .append(v)
                .append('"'));
        annotationJson.append('}');
        String index = "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\","
                + "\"manifests\":[" + manifests + "],\"annotations\":" + annotationJson + "}";
        byte[] bytes = index.getBytes(StandardCharsets.UTF_8);
        putManifest(registryUrl, authorization, repository, tag, "application/vnd.oci.image.index.v1+json", bytes);
        return OciImages.digest(bytes);
    }

    /** PUTs a manifest (or index) whose blobs are in the repository already: how a tag is moved, or moved back. */
    public static void putManifest(String registryUrl, String authorization, String repository, String tag,
            String mediaType, byte[] manifest) {
        try {
            HttpRequest.Builder request = HttpRequest
                    .newBuilder(URI.create(registryUrl + "/v2/" + repository + "/manifests/" + tag))
                    .header("Content-Type", mediaType)
                    .PUT(HttpRequest.BodyPublishers.ofByteArray(manifest));
            if (authorization != null) {
                request.header("Authorization", authorization);
            }
            HttpResponse<String> response = HttpClient.newHttpClient()
                    .send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 201) {
                throw new IllegalStateException("manifest PUT answered " + response.statusCode() + ": "
                        + response.body());
            }
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
