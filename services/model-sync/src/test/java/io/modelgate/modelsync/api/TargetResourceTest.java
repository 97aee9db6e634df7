package io.modelgate.modelsync.api;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.modelgate.modelsync.SyncTestSupport;
import io.modelgate.testing.ModelgateTestResources;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

import static io.modelgate.modelsync.SyncTestSupport.ADMIN;
import static io.modelgate.modelsync.SyncTestSupport.VIEWER;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

/** The targets API: settings are checked, passwords are stored encrypted and never returned. */
@QuarkusTest
@QuarkusTestResource(ModelgateTestResources.class)
class TargetResourceTest {

    private static final String PASSWORD = "pw-never-returned-7f3a";

    @Inject
    DataSource dataSource;

    // Disabled, so that the event and reconcile tests sharing this application never try to reach it.
    private static Map<String, Object> target(String name, String jdbcUrl) {
        Map<String, Object> body = new HashMap<>();
        body.put("name", name);
        body.put("jdbcUrl", jdbcUrl);
        body.put("username", "sync");
        body.put("password", PASSWORD);
        body.put("location", "SECONDARY");
        body.put("reachable", false);
        body.put("enabled", false);
        return body;
    }

    @Test
    void passwordsAreEncryptedAtRestAndNeverReturned() throws SQLException {
        String created = given().auth()
                .oauth2(ADMIN)
                .contentType(ContentType.JSON)
                .body(target("secrets", "jdbc:postgresql://db.example:5432/app"))
                .post("/api/v1/targets")
                .then()
                .statusCode(201)
                .body("passwordSet", equalTo(true))
                .body("location", equalTo("SECONDARY"))
                .extract()
                .asString();
        assertThat(created).doesNotContain(PASSWORD).doesNotContain("passwordCipher");
        String id = io.restassured.path.json.JsonPath.from(created).getString("id");

        assertThat(given().auth().oauth2(VIEWER).get("/api/v1/targets").then().statusCode(200).extract().asString())
                .contains("secrets")
                .doesNotContain(PASSWORD);
        assertThat(given().auth()
                .oauth2(VIEWER)
                .get("/api/v1/targets/" + id)
                .then()
                .statusCode(200)
                .extract()
                .asString()).doesNotContain(PASSWORD);

        byte[] stored = storedCipher(UUID.fromString(id));
        assertThat(stored).isNotNull();
        assertThat(new String(stored, StandardCharsets.ISO_8859_1)).doesNotContain(PASSWORD);

        // An update without a password keeps the stored one; an empty one removes it.
        Map<String, Object> change = target("secrets", "jdbc:postgresql://db.example:5432/app");
        change.remove("password");
        String updated = given().auth()
                .oauth2(ADMIN)
                .contentType(ContentType.JSON)
                .body(change)
                .put("/api/v1/targets/" + id)
                .then()
                .statusCode(200)
                .body("passwordSet", equalTo(true))
                .extract()
                .asString();
        assertThat(updated).doesNotContain(PASSWORD);
        assertThat(storedCipher(UUID.fromString(id))).isEqualTo(stored);
        change.put("password", "");
        given().auth()
                .oauth2(ADMIN)
                .contentType(ContentType.JSON)
                .body(change)
                .put("/api/v1/targets/" + id)
                .then()
                .statusCode(200)
                .body("passwordSet", equalTo(false));

        given().auth().oauth2(ADMIN).delete("/api/v1/targets/" + id).then().statusCode(204);
        given().auth().oauth2(VIEWER).get("/api/v1/targets/" + id).then().statusCode(404);
    }

    @Test
    void aStoredPasswordNeverFollowsTheTargetToAnotherServerDatabaseOrUser() throws SQLException {
        String id = post(target("redirect", "jdbc:postgresql://db.example:5432/app")).then()
                .statusCode(201)
                .extract()
                .path("id");
        byte[] stored = storedCipher(UUID.fromString(id));
        try {
            for (String url : List.of("jdbc:postgresql://attacker.example:5432/app",
                    "jdbc:postgresql://db.example:6543/app", "jdbc:postgresql://db.example:5432/other")) {
                Map<String, Object> moved = target("redirect", url);
                moved.remove("password");
                put(id, moved).then()
                        .statusCode(400)
                        .contentType("application/problem+json")
                        .body("detail", containsString("needs its password again"));
            }
            Map<String, Object> otherUser = target("redirect", "jdbc:postgresql://db.example:5432/app");
            otherUser.remove("password");
            otherUser.put("username", "someone-else");
            put(id, otherUser).then().statusCode(400);
            assertThat(storedCipher(UUID.fromString(id))).isEqualTo(stored);

            // Same server, database and user: other settings change and the password stays.
            Map<String, Object> same = target("redirect", "jdbc:postgresql://db.example/app?sslmode=verify-full");
            same.remove("password");
            put(id, same).then().statusCode(200).body("passwordSet", equalTo(true));
            assertThat(storedCipher(UUID.fromString(id))).isEqualTo(stored);
            // With the password given again, the move is allowed.
            put(id, target("redirect", "jdbc:postgresql://db2.example:5432/app")).then()
                    .statusCode(200)
                    .body("jdbcUrl", equalTo("jdbc:postgresql://db2.example:5432/app"));
        } finally {
            given().auth().oauth2(ADMIN).delete("/api/v1/targets/" + id).then().statusCode(204);
        }
    }

    @Test
    void aNameTakenByAConcurrentRequestIs409() throws Exception {
        // The concurrent request: a row with the name, inserted but not yet committed when the API checks the name.
        try (Connection racer = dataSource.getConnection()) {
            racer.setAutoCommit(false);
            try (PreparedStatement s = racer.prepareStatement("insert into sync_target (id, name, jdbc_url, username,"
                    + " location, reachable, enabled, created_at, updated_at) values (?, 'racer',"
                    + " 'jdbc:postgresql://db.example/app', 'sync', 'SECONDARY', false, false, now(), now())")) {
                s.setObject(1, UUID.randomUUID());
                s.executeUpdate();
            }
            CompletableFuture<io.restassured.response.Response> request = CompletableFuture
                    .supplyAsync(() -> post(target("racer", "jdbc:postgresql://db.example/other")));
            // Commit once the API's insert waits on the unique index, i.e. after it found the name free.
            await().atMost(Duration.ofSeconds(20)).until(() -> waitingOnLock());
            racer.commit();
            request.get(20, TimeUnit.SECONDS)
                    .then()
                    .statusCode(409)
                    .contentType("application/problem+json")
                    .body("detail", containsString("racer"));
        } finally {
            try (Connection c = dataSource.getConnection();
                    PreparedStatement s = c.prepareStatement("delete from sync_target where name = 'racer'")) {
                s.executeUpdate();
            }
        }
    }

    private boolean waitingOnLock() throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement("select 1 from pg_stat_activity where wait_event_type ="
                        + " 'Lock' and query like 'insert into sync_target%'");
                ResultSet rs = s.executeQuery()) {
            return rs.next();
        }
    }

    @Test
    void invalidSettingsAre400() {
        post(target("bad-scheme", "jdbc:mysql://db.example:3306/app")).then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("detail", containsString("jdbc:postgresql://"));
        post(target("no-db", "jdbc:postgresql://db.example:5432/")).then()
                .statusCode(400)
                .body("detail", containsString("name the database"));
        post(target("pw-in-url", "jdbc:postgresql://db.example/app?password=" + PASSWORD)).then()
                .statusCode(400)
                .body("detail", containsString("password"))
                .body("detail", org.hamcrest.Matchers.not(containsString(PASSWORD)));
        post(target("factory", "jdbc:postgresql://db.example/app?socketFactory=x.Y")).then()
                .statusCode(400)
                .body("detail", containsString("socketFactory"));
        post(target("", "jdbc:postgresql://db.example/app")).then()
                .statusCode(400)
                .body("errors.field", hasItem(containsString("name")));
        post(target("Upper_Case", "jdbc:postgresql://db.example/app")).then().statusCode(400);
        Map<String, Object> noLocation = target("no-location", "jdbc:postgresql://db.example/app");
        noLocation.remove("location");
        post(noLocation).then().statusCode(400).body("errors.field", hasItem(containsString("location")));
        Map<String, Object> badLocation = target("bad-location", "jdbc:postgresql://db.example/app");
        badLocation.put("location", "MOON");
        post(badLocation).then().statusCode(400);
    }

    @Test
    void aDuplicateNameIs409() {
        String id = post(target("twice", "jdbc:postgresql://db.example/app")).then()
                .statusCode(201)
                .extract()
                .path("id");
        post(target("twice", "jdbc:postgresql://db.example/other")).then()
                .statusCode(409)
                .contentType("application/problem+json");
        given().auth().oauth2(ADMIN).delete("/api/v1/targets/" + id).then().statusCode(204);
    }

    @Test
    void onlyAdminsChangeTargets() {
        given().auth()
                .oauth2(VIEWER)
                .contentType(ContentType.JSON)
                .body(target("viewer-made", "jdbc:postgresql://db.example/app"))
                .post("/api/v1/targets")
                .then()
                .statusCode(403);
        given().contentType(ContentType.JSON)
                .body(target("anonymous", "jdbc:postgresql://db.example/app"))
                .post("/api/v1/targets")
                .then()
                .statusCode(401);
        given().auth().oauth2(ADMIN).delete("/api/v1/targets/" + UUID.randomUUID()).then().statusCode(404);
    }

    private static io.restassured.response.Response post(Map<String, Object> body) {
        return given().auth()
                .oauth2(SyncTestSupport.ADMIN)
                .contentType(ContentType.JSON)
                .body(body)
                .post("/api/v1/targets");
    }

    private static io.restassured.response.Response put(String id, Map<String, Object> body) {
        return given().auth()
                .oauth2(SyncTestSupport.ADMIN)
                .contentType(ContentType.JSON)
                .body(body)
                .put("/api/v1/targets/" + id);
    }

    private byte[] storedCipher(UUID id) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement("select password_cipher from sync_target where id = ?")) {
            s.setObject(1, id);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? rs.getBytes(1) : null;
            }
        }
    }
}
