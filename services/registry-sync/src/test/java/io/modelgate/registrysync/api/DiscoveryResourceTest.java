package io.modelgate.registrysync.api;

import java.time.Duration;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import io.modelgate.events.DiscoveryMethod;
import io.modelgate.events.EventJson;
import io.modelgate.events.EventTypes;
import io.modelgate.events.RegistryImageDiscovered;
import io.modelgate.events.Topics;
import io.modelgate.platform.messaging.CloudEventHeaders;
import io.modelgate.platform.security.Roles;
import io.modelgate.testing.KafkaTestClient;
import io.modelgate.testing.ModelgateTestResources;
import io.modelgate.testing.OciImages;
import io.modelgate.testing.TestTokens;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;

@QuarkusTest
@QuarkusTestResource(ModelgateTestResources.class)
class DiscoveryResourceTest {

    private static final String ADMIN = TestTokens.forUser("ada", Roles.ADMIN);
    private static final String VIEWER = TestTokens.forUser("vera", Roles.VIEWER);

    @Inject
    EntityManager entityManager;

    @Test
    void announcingAnImageEmitsOneDiscoveryEvenWhenRepeated() {
        String digest = OciImages.digest(("llama-" + System.nanoTime()).getBytes());
        Map<String, Object> body = Map.of("registry", "registry.example.com:5000", "repository", "models/llama",
                "tag", "3.1-8b", "digest", digest, "annotations", Map.of("io.modelgate.model.name", "llama"));

        String eventId = announce(body, 201)
                .body("reference", equalTo("registry.example.com:5000/models/llama@" + digest))
                .body("discoveredBy", equalTo("MANUAL"))
                .extract()
                .path("eventId");
        announce(body, 200).body("eventId", equalTo(eventId));

        ConsumerRecord<String, byte[]> record = KafkaTestClient.shared()
                .await(Topics.REGISTRY_IMAGES,
                        r -> eventId.equals(KafkaTestClient.header(r, CloudEventHeaders.ID)), Duration.ofSeconds(20));
        assertThat(record.key()).isEqualTo(digest);
        assertThat(KafkaTestClient.header(record, CloudEventHeaders.TYPE))
                .isEqualTo(EventTypes.REGISTRY_IMAGE_DISCOVERED.type());
        RegistryImageDiscovered event = EventJson.read(record.value(), RegistryImageDiscovered.class);
        assertThat(event.discoveredBy()).isEqualTo(DiscoveryMethod.MANUAL);
        assertThat(event.image().annotations()).containsEntry("io.modelgate.model.name", "llama");
        assertThat(event.image().tag()).isEqualTo("3.1-8b");
        assertThat(outboxRows(digest)).isEqualTo(1);

        given().auth()
                .oauth2(VIEWER)
                .queryParam("digest", digest)
                .get("/api/v1/discoveries")
                .then()
                .statusCode(200)
                .body("$", hasSize(1))
                .body("[0].repository", equalTo("models/llama"));
    }

    @Test
    void anUntaggedImageIsAnnouncedOnceByDigest() {
        String digest = OciImages.digest(("untagged-" + System.nanoTime()).getBytes());
        Map<String, Object> body = Map.of("registry", "registry.example.com", "repository", "models/phi", "digest",
                digest);
        String eventId = announce(body, 201).extract().path("eventId");
        announce(body, 200).body("eventId", equalTo(eventId));
        assertThat(outboxRows(digest)).isEqualTo(1);
    }

    @Test
    void concurrentIdenticalAnnouncementsYieldOneAnnouncementAndNoError() throws Exception {
        String digest = OciImages.digest(("concurrent-" + System.nanoTime()).getBytes());
        Map<String, Object> body = Map.of("registry", "registry.example.com", "repository", "models/race", "tag",
                "1", "digest", digest);
        var pool = java.util.concurrent.Executors.newFixedThreadPool(8);
        try {
            var statuses = new java.util.ArrayList<java.util.concurrent.Future<Integer>>();
            for (int i = 0; i < 8; i++) {
                statuses.add(pool.submit(() -> given().auth()
                        .oauth2(ADMIN)
                        .contentType("application/json")
                        .body(body)
                        .post("/api/v1/discoveries")
                        .statusCode()));
            }
            var codes = new java.util.ArrayList<Integer>();
            for (var status : statuses) {
                codes.add(status.get());
            }
            assertThat(codes).containsOnly(200, 201);
            assertThat(codes).filteredOn(c -> c == 201).hasSize(1);
        } finally {
            pool.shutdownNow();
        }
        assertThat(outboxRows(digest)).isEqualTo(1);
    }

    private static ValidatableResponse announce(Map<String, Object> body, int status) {
        return given().auth()
                .oauth2(ADMIN)
                .contentType("application/json")
                .body(body)
                .post("/api/v1/discoveries")
                .then()
                .statusCode(status);
    }

    private long outboxRows(String digest) {
        return QuarkusTransaction.requiringNew()
                .call(() -> ((Number) entityManager
                        .createNativeQuery("select count(*) from outbox_event where record_key = ?1")
                        .setParameter(1, digest)
                        .getSingleResult()).longValue());
    }

    @Test
    void onlyAdminsAnnounce() {
        Map<String, Object> body = Map.of("registry", "r.example.com", "repository", "m", "digest",
                OciImages.digest("x".getBytes()));
        given().contentType("application/json").body(body).post("/api/v1/discoveries").then().statusCode(401);
        given().auth()
                .oauth2(VIEWER)
                .contentType("application/json")
                .body(body)
                .post("/api/v1/discoveries")
                .then()
                .statusCode(403);
    }

    @Test
    void invalidReferencesAreRefusedNamingTheField() {
        given().auth()
                .oauth2(ADMIN)
                .contentType("application/json")
                .body(Map.of("registry", "r.example.com", "repository", "Bad Repo", "digest", "sha256"))
                .post("/api/v1/discoveries")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("errors.field", hasItem("repository"))
                .body("errors.field", hasItem("digest"));
    }
}
