package io.modelgate.registrysync.domain;

import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.modelgate.events.DiscoveryMethod;
import io.modelgate.events.RegistryImageDiscovered;
import io.modelgate.registrysync.SyncTestSupport;
import io.modelgate.registrysync.client.RegistryMetrics;
import io.modelgate.testing.FreePorts;
import io.modelgate.testing.ModelgateTestResources;
import io.modelgate.testing.OciImages;
import io.modelgate.testing.RegistryServer;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

import static io.modelgate.registrysync.SyncTestSupport.ADMIN;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

/** Polling a real distribution registry with htpasswd Basic auth: rules, digest cache, moved tags, indexes, outages. */
@QuarkusTest
@QuarkusTestResource(ModelgateTestResources.class)
class PollingTest {

    private static final String BASIC = "Basic "
            + java.util.Base64.getEncoder().encodeToString("puller:s3cret-pass".getBytes());

    private static RegistryServer registry;

    @Inject
    RegistryMetrics metrics;

    @Inject
    EntityManager entityManager;

    @BeforeAll
    static void startRegistry() {
        registry = RegistryServer.builder().htpasswd("puller", "s3cret-pass").start();
    }

    @AfterAll
    static void stopRegistry() {
        registry.close();
    }

    private static OciImages images() {
        return OciImages.basic(registry.url(), "puller", "s3cret-pass");
    }

    @Test
    void aPollAnnouncesAdmittedTagsOnceAndAMovedTagAgain() {
        Map<String, String> annotations = Map.of("io.modelgate.model.name", "llama", "io.modelgate.model.license",
                "apache-2.0");
        OciImages.Pushed v1 = images().push("poll/llama", "1.0.0", "v1", Map.of("org.example.team", "ml"),
                annotations);
        OciImages.Pushed v11 = images().push("poll/llama", "1.1.0", "v1.1", Map.of(), annotations);
        images().push("poll/llama", "2.0.0", "v2", Map.of(), annotations);
        images().push("poll/llama", "1.2.0-debug", "debug", Map.of(), annotations);
        images().push("other/thing", "1.0.0", "not a model", Map.of(), Map.of());

        var connection = SyncTestSupport.connection("basic-" + System.nanoTime(), registry.url(),
                Map.of("credentials", Map.of("username", "puller", "password", "s3cret-pass")));
        String ruleId = SyncTestSupport.rule(connection.id(), Map.of("name", "llama-1x", "repositoryMatch", "GLOB",
                "repository", "poll/*", "tagFilter", "SEMVER", "tagValue", ">=1.0.0 <2.0.0", "excludes",
                List.of(".*-debug")));

        // Credentials are write-only.
        String shown = given().auth().oauth2(ADMIN).get("/api/v1/connections/" + connection.id()).asString();
        assertThat(shown).contains("\"hasCredentials\":true").doesNotContain("s3cret-pass");

        JsonPath first = SyncTestSupport.syncAndWait(connection.id());
        assertThat(first.getString("status")).isEqualTo("SUCCEEDED");
        assertThat(first.getInt("repositories")).isEqualTo(1);
        assertThat(first.getInt("tagsSeen")).isEqualTo(4);
        assertThat(first.getInt("newImages")).isEqualTo(2);

        List<RegistryImageDiscovered> events = SyncTestSupport.events(connection.id(), 2);
        assertThat(events).extracting(e -> e.image().tag()).containsExactlyInAnyOrder("1.0.0", "1.1.0");
        RegistryImageDiscovered e1 = events.stream()
                .filter(e -> e.image().tag().equals("1.0.0"))
                .findFirst()
                .orElseThrow();
        assertThat(e1.image().digest()).isEqualTo(v1.digest());
        assertThat(e1.image().reference()).isEqualTo(registry.hostPort() + "/poll/llama@" + v1.digest());
        assertThat(e1.image().mediaType()).isEqualTo(OciImages.MANIFEST_MEDIA_TYPE);
        assertThat(e1.image().platform().value()).isEqualTo("linux/amd64");
        assertThat(e1.image().sizeBytes()).isPositive();
        assertThat(e1.image().createdAt()).isNotNull();
        assertThat(e1.image().labels()).containsEntry("org.example.team", "ml");
        assertThat(e1.image().annotations()).containsAllEntriesOf(annotations);
        assertThat(e1.discoveredBy()).isEqualTo(DiscoveryMethod.POLL);
        assertThat(e1.ruleId()).isEqualTo(ruleId);
        assertThat(e1.ruleName()).isEqualTo("llama-1x");
        assertThat(e1.connectionName()).startsWith("basic-");

        // Nothing changed: no announcement and not one manifest GET.
        double manifestGets = metrics.count("manifest");
        double heads = metrics.count("head");
        JsonPath second = SyncTestSupport.syncAndWait(connection.id());
        assertThat(second.getString("status")).isEqualTo("SUCCEEDED");
        assertThat(second.getInt("newImages")).isZero();
        assertThat(metrics.count("manifest")).isEqualTo(manifestGets);
        assertThat(metrics.count("head")).isGreaterThan(heads);
        assertThat(SyncTestSupport.announced(entityManager, connection.id())).isEqualTo(2);

        // 1.1.0 moves to a new image: announced again, with the new digest.
        OciImages.Pushed moved = images().push("poll/llama", "1.1.0", "v1.1 rebuilt", Map.of(), annotations);
        assertThat(moved.digest()).isNotEqualTo(v11.digest());
        JsonPath third = SyncTestSupport.syncAndWait(connection.id());
        assertThat(third.getInt("newImages")).isEqualTo(1);
        assertThat(SyncTestSupport.events(connection.id(), 3)).anyMatch(e -> e.image().digest().equals(moved.digest()));

        // 1.1.0 is rolled back to the image it had first: a move like any other, announced again (the stored
        // announcement of that image now names this event), although that digest was announced before.
        SyncTestSupport.putManifest(registry.url(), BASIC, "poll/llama", "1.1.0", OciImages.MANIFEST_MEDIA_TYPE,
                v11.manifest());
        JsonPath fourth = SyncTestSupport.syncAndWait(connection.id());
        assertThat(fourth.getInt("newImages")).isEqualTo(1);
        List<RegistryImageDiscovered> all = SyncTestSupport.events(connection.id(), 4);
        assertThat(all).filteredOn(e -> e.image().tag().equals("1.1.0"))
                .extracting(e -> e.image().digest())
                .containsExactlyInAnyOrder(v11.digest(), moved.digest(), v11.digest());
        assertThat(SyncTestSupport.announced(entityManager, connection.id())).isEqualTo(3);
        // Both announcements of v11 share a key, hence a partition: the later one is the rollback.
        List<RegistryImageDiscovered> ofV11 = all.stream()
                .filter(e -> e.image().tag().equals("1.1.0") && e.image().digest().equals(v11.digest()))
                .toList();
        RegistryImageDiscovered rollback = ofV11.get(ofV11.size() - 1);
        assertThat(rollback.eventId()).isNotEqualTo(ofV11.get(0).eventId());
        given().auth()
                .oauth2(SyncTestSupport.VIEWER)
                .get("/api/v1/discoveries?digest=" + v11.digest())
                .then()
                .statusCode(200)
                .body("size()", equalTo(1))
                .body("[0].eventId", equalTo(rollback.eventId().toString()));

        // The same digest again (nothing moved): not announced a second time.
        assertThat(SyncTestSupport.syncAndWait(connection.id()).getInt("newImages")).isZero();

        given().auth()
                .oauth2(SyncTestSupport.VIEWER)
                .get("/api/v1/connections/" + connection.id() + "/runs")
                .then()
                .statusCode(200)
                .body("size()", equalTo(5))
                .body("[1].id", equalTo(fourth.getString("id")));
    }

    @Test
    void aMultiPlatformIndexIsAnnouncedOncePerPlatformTheRuleAdmits() {
        SyncTestSupport.pushIndex(images(), registry.url(), BASIC, "multi/phi",
                "3.5", Map.of("io.modelgate.model.name", "phi"), "amd64", "arm64");
        var connection = SyncTestSupport.connection("index-" + System.nanoTime(), registry.url(),
                Map.of("credentials", Map.of("username", "puller", "password", "s3cret-pass")));
        SyncTestSupport.rule(connection.id(), Map.of("name", "phi", "repositoryMatch", "EXACT", "repository",
                "multi/phi", "tagFilter", "EXACT", "tagValue", "3.5", "platforms", List.of("linux/arm64")));

        JsonPath run = SyncTestSupport.syncAndWait(connection.id());
        assertThat(run.getInt("newImages")).isEqualTo(1);
        RegistryImageDiscovered event = SyncTestSupport.events(connection.id(), 1).get(0);
        assertThat(event.image().platform().value()).isEqualTo("linux/arm64");
        assertThat(event.image().tag()).isEqualTo("3.5");
        // The index's annotations describe every platform.
        assertThat(event.image().annotations()).containsEntry("io.modelgate.model.name", "phi");
    }

    @Test
    void previewShowsWhatWouldSyncAndEmitsNothing() {
        OciImages.Pushed pushed = images().push("preview/mistral", "0.3.1", "m", Map.of(), Map.of());
        images().push("preview/mistral", "0.2.0", "m-old", Map.of(), Map.of());
        var connection = SyncTestSupport.connection("preview-" + System.nanoTime(), registry.url(),
                Map.of("credentials", Map.of("username", "puller", "password", "s3cret-pass")));

        JsonPath preview = given().auth()
                .oauth2(ADMIN)
                .contentType("application/json")
                .body(Map.of("name", "newest", "repositoryMatch", "REGEX", "repository", "preview/.+", "tagFilter",
                        "NEWEST_N", "tagValue", "1"))
                .post("/api/v1/connections/" + connection.id() + "/rules/preview")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(preview.getList("entries.tag", String.class)).containsExactly("0.3.1");
        assertThat(preview.getString("entries[0].digest")).isEqualTo(pushed.digest());
        assertThat(preview.getString("entries[0].outcome")).isEqualTo("NEW");
        assertThat(SyncTestSupport.announced(entityManager, connection.id())).isZero();
        given().auth()
                .oauth2(ADMIN)
                .get("/api/v1/connections/" + connection.id() + "/runs")
                .then()
                .body("size()", equalTo(0));
    }

    @Test
    void aRegistryThatIsDownFailsItsOwnRunWhileOthersCarryOn() {
        var down = SyncTestSupport.connection("down-" + System.nanoTime(), "http://127.0.0.1:" + FreePorts.next(),
                Map.of());
        SyncTestSupport.rule(down.id(), Map.of("name", "all", "repositoryMatch", "GLOB", "repository", "**"));
        images().push("up/model", "1", "up", Map.of(), Map.of());
        var up = SyncTestSupport.connection("up-" + System.nanoTime(), registry.url(),
                Map.of("credentials", Map.of("username", "puller", "password", "s3cret-pass")));
        SyncTestSupport.rule(up.id(), Map.of("name", "up", "repositoryMatch", "EXACT", "repository", "up/model"));

        String downRun = given().auth()
                .oauth2(ADMIN)
                .post("/api/v1/connections/" + down.id() + "/sync")
                .then()
                .statusCode(202)
                .extract()
                .path("id");
        JsonPath upRun = SyncTestSupport.syncAndWait(up.id());
        assertThat(upRun.getString("status")).isEqualTo("SUCCEEDED");
        assertThat(upRun.getInt("newImages")).isEqualTo(1);

        JsonPath failed = SyncTestSupport.awaitRun(down.id(), downRun);
        assertThat(failed.getString("status")).isEqualTo("FAILED");
        assertThat(failed.getInt("errors")).isPositive();
        assertThat(failed.getList("messages", String.class)).anyMatch(m -> m.contains("unreachable"));
        assertThat(failed.getString("finishedAt")).isNotNull();
    }

    @Test
    void wrongCredentialsAreReportedWithoutTheSecret() {
        var connection = SyncTestSupport.connection("wrong-" + System.nanoTime(), registry.url(),
                Map.of("credentials", Map.of("username", "puller", "password", "not-the-password")));
        SyncTestSupport.rule(connection.id(), Map.of("name", "x", "repositoryMatch", "EXACT", "repository",
                "poll/llama"));
        JsonPath run = SyncTestSupport.syncAndWait(connection.id());
        assertThat(run.getString("status")).isEqualTo("PARTIAL");
        assertThat(run.getList("messages", String.class)).anyMatch(m -> m.contains("401"))
                .noneMatch(m -> m.contains("not-the-password"));
        given().auth()
                .oauth2(ADMIN)
                .get("/api/v1/connections/" + connection.id() + "/runs/" + run.getString("id"))
                .then()
                .body(not(containsString("not-the-password")));
    }
}
