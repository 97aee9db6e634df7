package io.modelgate.registrysync.domain;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.junit.jupiter.api.Test;

import io.modelgate.events.DiscoveryMethod;
import io.modelgate.events.RegistryImageDiscovered;
import io.modelgate.registrysync.SyncTestSupport;
import io.modelgate.testing.ModelgateTestResources;
import io.modelgate.testing.OciImages;
import io.modelgate.testing.RegistryServer;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

import static io.modelgate.registrysync.SyncTestSupport.ADMIN;
import static io.modelgate.registrysync.SyncTestSupport.VIEWER;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The schedule on its own: a connection with a poll interval is synced without "sync now" and again once the interval
 * has passed (the tests tick every second, {@code poll.tick=1s}, and allow 1 s intervals).
 */
@QuarkusTest
@QuarkusTestResource(ModelgateTestResources.class)
class ScheduledPollTest {

    @Inject
    EntityManager entityManager;

    @Test
    void aConnectionWithAPollIntervalIsSyncedByTheSchedule() {
        try (RegistryServer registry = RegistryServer.builder().start()) {
            OciImages.Pushed pushed = OciImages.anonymous(registry.url())
                    .push("scheduled/qwen", "2.5.0", "qwen", Map.of(), Map.of("io.modelgate.model.name", "qwen"));
            String name = "scheduled-" + System.nanoTime();
            var connection = SyncTestSupport.connection(name, registry.url(), Map.of());
            try {
                SyncTestSupport.rule(connection.id(), Map.of("name", "qwen", "repositoryMatch", "EXACT",
                        "repository", "scheduled/qwen"));
                // Polling is switched on only now, so that no scheduled run can start before the rule exists.
                given().auth()
                        .oauth2(ADMIN)
                        .contentType("application/json")
                        .body(Map.of("name", name, "type", "DISTRIBUTION", "baseUrl", registry.url(), "plainHttp", true,
                                "pollIntervalSeconds", 1))
                        .put("/api/v1/connections/" + connection.id())
                        .then()
                        .statusCode(200);

                // No POST …/sync anywhere: the schedule starts the runs. Two finished runs show it repeats.
                List<Map<String, Object>> finished = await().atMost(Duration.ofSeconds(60))
                        .pollInterval(Duration.ofMillis(200))
                        .until(() -> runs(connection.id()).stream()
                                .filter(r -> !"RUNNING".equals(r.get("status")))
                                .toList(), list -> list.size() >= 2);
                assertThat(finished).allSatisfy(r -> {
                    assertThat(r).containsEntry("trigger", "SCHEDULE").containsEntry("status", "SUCCEEDED");
                });
                // Newest first: the first scheduled run announced the image, the next found nothing new.
                assertThat(finished.get(finished.size() - 1)).containsEntry("newImages", 1);
                assertThat(finished.get(finished.size() - 2)).containsEntry("newImages", 0);

                RegistryImageDiscovered event = SyncTestSupport.events(connection.id(), 1).get(0);
                assertThat(event.discoveredBy()).isEqualTo(DiscoveryMethod.POLL);
                assertThat(event.image().digest()).isEqualTo(pushed.digest());
                assertThat(SyncTestSupport.announced(entityManager, connection.id())).isEqualTo(1);
            } finally {
                // Stop the schedule before the registry goes away.
                given().auth().oauth2(ADMIN).delete("/api/v1/connections/" + connection.id()).then().statusCode(204);
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> runs(String connectionId) {
        return given().auth()
                .oauth2(VIEWER)
                .get("/api/v1/connections/" + connectionId + "/runs")
                .then()
                .statusCode(200)
                .extract()
                .as(List.class);
    }
}
