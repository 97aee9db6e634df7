package io.modelgate.registrysync.api;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.junit.jupiter.api.Test;

import io.modelgate.events.DiscoveryMethod;
import io.modelgate.events.RegistryImageDiscovered;
import io.modelgate.registrysync.SyncTestSupport;
import io.modelgate.testing.FreePorts;
import io.modelgate.testing.ModelgateTestResources;
import io.modelgate.testing.OciImages;
import io.modelgate.testing.RegistryServer;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

import static io.modelgate.registrysync.SyncTestSupport.ADMIN;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/** Webhooks: the registry's own notifications end to end, Harbor payloads, duplicates, and every bad input. */
@QuarkusTest
@QuarkusTestResource(ModelgateTestResources.class)
class WebhookResourceTest {

    @TestHTTPResource("/webhooks")
    URL webhooks;

    @Inject
    EntityManager entityManager;

    @Test
    void theRegistrysOwnPushNotificationAnnouncesTheImage() {
        int port = FreePorts.next();
        var connection = SyncTestSupport.connection("notify-" + System.nanoTime(), "http://127.0.0.1:" + port,
                Map.of());
        SyncTestSupport.rule(connection.id(), Map.of("name", "models", "repositoryMatch", "GLOB", "repository",
                "hooked/*", "tagFilter", "PREFIX", "tagValue", "v"));
        try (RegistryServer registry = RegistryServer.builder()
                .port(port)
                .notify("modelgate", webhooks + "/" + connection.id(),
                        Map.of("Authorization", "Bearer " + connection.webhookSecret()))
                .start()) {
            OciImages.Pushed pushed = OciImages.anonymous(registry.url())
                    .push("hooked/qwen", "v2", "qwen", Map.of(), Map.of("io.modelgate.model.name", "qwen"));
            OciImages.anonymous(registry.url()).push("hooked/qwen", "latest", "not admitted", Map.of(), Map.of());

            RegistryImageDiscovered event = SyncTestSupport.events(connection.id(), 1).get(0);
            assertThat(event.discoveredBy()).isEqualTo(DiscoveryMethod.WEBHOOK);
            assertThat(event.image().digest()).isEqualTo(pushed.digest());
            assertThat(event.image().tag()).isEqualTo("v2");
            assertThat(event.image().annotations()).containsEntry("io.modelgate.model.name", "qwen");
            assertThat(event.ruleName()).isEqualTo("models");

            // The push of "latest" is stored and judged by the rules; the registry's pull events are not stored.
            await().untilAsserted(() -> assertThat(given().auth()
                    .oauth2(ADMIN)
                    .get("/api/v1/connections/" + connection.id() + "/webhook-events")
                    .then()
                    .statusCode(200)
                    .extract()
                    .jsonPath()
                    .getList("outcome", String.class)).anyMatch(o -> o != null && o.contains("no enabled rule"))
                    .anyMatch(o -> o != null && o.startsWith("announced 1")));
            assertThat(SyncTestSupport.announced(entityManager, connection.id())).isEqualTo(1);
        }
    }

    @Test
    void harborPayloadsAreStoredOnceAndDeletesRecorded() {
        var connection = SyncTestSupport.connection("harbor-" + System.nanoTime(), "http://127.0.0.1:1", Map.of());
        // Harbor sends its auth header value raw.
        given().header("Authorization", connection.webhookSecret())
                .contentType("application/json")
                .body(fixture("harbor-push-artifact-default.json"))
                .post("/webhooks/" + connection.id())
                .then()
                .statusCode(202)
                .body("accepted", equalTo(1));
        given().header("Authorization", connection.webhookSecret())
                .contentType("application/json")
                .body(fixture("harbor-push-artifact-default.json"))
                .post("/webhooks/" + connection.id())
                .then()
                .statusCode(202)
                .body("accepted", equalTo(0))
                .body("duplicates", equalTo(1));
        given().header("Authorization", "Bearer " + connection.webhookSecret())
                .contentType("application/cloudevents+json")
                .body(fixture("harbor-delete-artifact-cloudevents.json"))
                .post("/webhooks/" + connection.id())
                .then()
                .statusCode(202)
                .body("accepted", equalTo(1));

        assertThat(deliveries(connection.id())).isEqualTo(2);
        await().untilAsserted(() -> given().auth()
                .oauth2(ADMIN)
                .get("/api/v1/connections/" + connection.id() + "/deletions")
                .then()
                .statusCode(200)
                .body("size()", equalTo(1))
                .body("[0].repository", equalTo("harbor/alpine"))
                .body("[0].tag", equalTo("3.8")));
        // The Harbor push names only a digest (its "tag" is the digest): recorded, nothing to announce.
        await().untilAsserted(() -> given().auth()
                .oauth2(ADMIN)
                .get("/api/v1/connections/" + connection.id() + "/webhook-events")
                .then()
                .body("find { it.action == 'PUSH' }.outcome", containsString("untagged")));
    }

    @Test
    void aGenericCloudEventAndTheDistributionFixtureAreAccepted() {
        var connection = SyncTestSupport.connection("generic-" + System.nanoTime(), "http://127.0.0.1:1", Map.of());
        given().header("Authorization", "Bearer " + connection.webhookSecret())
                .contentType("application/cloudevents+json")
                .body(Map.of("specversion", "1.0", "id", "ce-1", "type", "com.example.registry.image.pushed",
                        "source", "/registry", "data", Map.of("repository", "team/model", "tag", "1.0")))
                .post("/webhooks/" + connection.id())
                .then()
                .statusCode(202)
                .body("accepted", equalTo(1));
        given().header("Authorization", "Bearer " + connection.webhookSecret())
                .header("ce-id", "ce-2")
                .header("ce-type", "com.example.image.push")
                .header("ce-specversion", "1.0")
                .contentType("application/json")
                .body(Map.of("repository", "team/model", "tag", "1.1"))
                .post("/webhooks/" + connection.id())
                .then()
                .statusCode(202)
                .body("accepted", equalTo(1));
        given().header("Authorization", "Bearer " + connection.webhookSecret())
                .contentType("application/vnd.docker.distribution.events.v1+json")
                .body(fixture("distribution-notification-push.json"))
                .post("/webhooks/" + connection.id())
                .then()
                .statusCode(202)
                .body("accepted", equalTo(1));
        assertThat(deliveries(connection.id())).isEqualTo(3);
    }

    @Test
    void badDeliveriesAreRefusedAndNothingIsStored() {
        var connection = SyncTestSupport.connection("bad-" + System.nanoTime(), "http://127.0.0.1:1", Map.of());
        String push = fixture("distribution-notification-push.json");
        String url = "/webhooks/" + connection.id();

        given().contentType("application/json")
                .body(push)
                .post(url)
                .then()
                .statusCode(401)
                .contentType("application/problem+json");
        given().header("Authorization", "Bearer wrong")
                .contentType("application/json")
                .body(push)
                .post(url)
                .then()
                .statusCode(401);
        given().header("Authorization", "Bearer " + connection.webhookSecret())
                .contentType("application/json")
                .body(push)
                .post("/webhooks/00000000-0000-0000-0000-000000000001")
                .then()
                .statusCode(404);
        given().header("Authorization", "Bearer " + connection.webhookSecret())
                .contentType("application/json")
                .body(push)
                .post("/webhooks/not-a-uuid")
                .then()
                .statusCode(404);
        for (String malformed : List.of("{not json", "[]", "{\"hello\":1}",
                "{\"events\":[{\"id\":\"x\",\"action\":\"push\",\"target\":{\"mediaType\":\""
                        + OciImages.MANIFEST_MEDIA_TYPE + "\",\"repository\":\"Bad Repo\",\"tag\":\"v1\"}}]}",
                "{\"events\":[{\"id\":\"y\",\"action\":\"push\",\"target\":{\"mediaType\":\""
                        + OciImages.MANIFEST_MEDIA_TYPE + "\",\"repository\":\"ok/repo\",\"digest\":\"nope\"}}]}")) {
            given().header("Authorization", "Bearer " + connection.webhookSecret())
                    .contentType("application/json")
                    .body(malformed)
                    .post(url)
                    .then()
                    .statusCode(400)
                    .contentType("application/problem+json");
        }
        given().header("Authorization", "Bearer " + connection.webhookSecret())
                .contentType("application/json")
                .body("{\"events\":[],\"padding\":\"" + "x".repeat(1024 * 1024) + "\"}")
                .post(url)
                .then()
                .statusCode(413);
        assertThat(deliveries(connection.id())).isZero();
    }

    @Test
    void aRotatedSecretReplacesTheOldOne() {
        var connection = SyncTestSupport.connection("rotate-" + System.nanoTime(), "http://127.0.0.1:1", Map.of());
        String fresh = given().auth()
                .oauth2(ADMIN)
                .post("/api/v1/connections/" + connection.id() + "/webhook-secret")
                .then()
                .statusCode(200)
                .extract()
                .path("webhookSecret");
        String body = fixture("harbor-push-artifact-default.json");
        given().header("Authorization", connection.webhookSecret())
                .contentType("application/json")
                .body(body)
                .post("/webhooks/" + connection.id())
                .then()
                .statusCode(401);
        given().header("Authorization", fresh)
                .contentType("application/json")
                .body(body)
                .post("/webhooks/" + connection.id())
                .then()
                .statusCode(202);
    }

    private long deliveries(String connectionId) {
        return QuarkusTransaction.requiringNew()
                .call(() -> ((Number) entityManager
                        .createNativeQuery("select count(*) from webhook_delivery where connection_id = ?1")
                        .setParameter(1, java.util.UUID.fromString(connectionId))
                        .getSingleResult()).longValue());
    }

    static String fixture(String name) {
        try (InputStream in = WebhookResourceTest.class.getResourceAsStream("/registry/" + name)) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
