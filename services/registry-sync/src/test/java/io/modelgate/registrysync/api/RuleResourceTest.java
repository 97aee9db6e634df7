package io.modelgate.registrysync.api;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.modelgate.registrysync.SyncTestSupport;
import io.modelgate.testing.ModelgateTestResources;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

import static io.modelgate.registrysync.SyncTestSupport.ADMIN;
import static io.modelgate.registrysync.SyncTestSupport.VIEWER;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

/** Rules and connections administration: validation names the problem, credentials never come back. */
@QuarkusTest
@QuarkusTestResource(ModelgateTestResources.class)
class RuleResourceTest {

    @Test
    void invalidRulesAreRefusedNamingTheProblem() {
        var connection = SyncTestSupport.connection("rules-" + System.nanoTime(), "http://127.0.0.1:1", Map.of());
        String url = "/api/v1/connections/" + connection.id() + "/rules";
        given().auth()
                .oauth2(ADMIN)
                .contentType("application/json")
                .body(Map.of("name", "r", "repositoryMatch", "REGEX", "repository", "models/(unclosed"))
                .post(url)
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("errors.field", hasItem("repository"))
                .body("errors.message", hasItem(containsString("regular expression")));
        given().auth()
                .oauth2(ADMIN)
                .contentType("application/json")
                .body(Map.of("name", "r", "repositoryMatch", "EXACT", "repository", "m", "tagFilter", "SEMVER",
                        "tagValue", ">=1.2.0 <banana"))
                .post(url)
                .then()
                .statusCode(400)
                .body("errors.field", hasItem("tagValue"))
                .body("errors.message", hasItem(containsString("SemVer range")));
        given().auth()
                .oauth2(ADMIN)
                .contentType("application/json")
                .body(Map.of("name", "r", "repositoryMatch", "EXACT", "repository", "m", "tagFilter", "NEWEST_N",
                        "tagValue", "lots"))
                .post(url)
                .then()
                .statusCode(400)
                .body("errors.field", hasItem("tagValue"));
        given().auth()
                .oauth2(ADMIN)
                .contentType("application/json")
                .body(Map.of("name", "r", "repositoryMatch", "EXACT", "repository", "m", "excludes", List.of("[x"),
                        "platforms", List.of("linux")))
                .post(url)
                .then()
                .statusCode(400)
                .body("errors.field", hasItem("excludes[0]"))
                .body("errors.field", hasItem("platforms[0]"));
        given().auth()
                .oauth2(ADMIN)
                .contentType("application/json")
                .body(Map.of("name", "r", "repositoryMatch", "SOMETIMES", "repository", "m"))
                .post(url)
                .then()
                .statusCode(400);
        given().auth()
                .oauth2(ADMIN)
                .contentType("application/json")
                .body(Map.of("name", "r"))
                .post(url)
                .then()
                .statusCode(400)
                .body("errors.field", hasItem("repositoryMatch"));
        given().auth().oauth2(VIEWER).get(url).then().statusCode(200).body("size()", equalTo(0));
    }

    @Test
    void rulesAreCreatedReadReplacedAndDeleted() {
        var connection = SyncTestSupport.connection("crud-" + System.nanoTime(), "http://127.0.0.1:1", Map.of());
        String url = "/api/v1/connections/" + connection.id() + "/rules";
        Map<String, Object> rule = Map.of("name", "semver", "repositoryMatch", "GLOB", "repository", "models/**",
                "tagFilter", "SEMVER", "tagValue", "^1.2 || 3.x", "requiredLabels",
                Map.of("io.modelgate.model.name", "*"), "platforms", List.of("linux/amd64"));
        String id = SyncTestSupport.rule(connection.id(), rule);
        given().auth().oauth2(ADMIN).contentType("application/json").body(rule).post(url).then().statusCode(409);
        given().auth()
                .oauth2(VIEWER)
                .get(url + "/" + id)
                .then()
                .statusCode(200)
                .body("tagValue", equalTo("^1.2 || 3.x"))
                .body("platforms[0]", equalTo("linux/amd64"));
        given().auth().oauth2(VIEWER).contentType("application/json").body(rule).post(url).then().statusCode(403);
        given().auth()
                .oauth2(ADMIN)
                .contentType("application/json")
                .body(Map.of("name", "semver", "repositoryMatch", "EXACT", "repository", "models/a", "enabled", false))
                .put(url + "/" + id)
                .then()
                .statusCode(200)
                .body("enabled", equalTo(false))
                .body("tagFilter", equalTo("ALL"));
        given().auth().oauth2(ADMIN).delete(url + "/" + id).then().statusCode(204);
        given().auth().oauth2(ADMIN).get(url + "/" + id).then().statusCode(404);
    }

    @Test
    void connectionsKeepCredentialsSecretAndRefusePlainHttpUnlessAsked() {
        given().auth()
                .oauth2(ADMIN)
                .contentType("application/json")
                .body(Map.of("name", "plain-" + System.nanoTime(), "type", "HARBOR", "baseUrl", "http://harbor.local"))
                .post("/api/v1/connections")
                .then()
                .statusCode(400)
                .body("errors.field", hasItem("baseUrl"));
        given().auth()
                .oauth2(ADMIN)
                .contentType("application/json")
                .body(Map.of("name", "ca-" + System.nanoTime(), "type", "HARBOR", "baseUrl", "https://harbor.local",
                        "caCertificate", "not a certificate"))
                .post("/api/v1/connections")
                .then()
                .statusCode(400)
                .body("errors.field", hasItem("caCertificate"));
        given().auth()
                .oauth2(ADMIN)
                .contentType("application/json")
                .body(Map.of("name", "pw-" + System.nanoTime(), "type", "HARBOR", "baseUrl", "https://harbor.local",
                        "credentials", Map.of("password", "p")))
                .post("/api/v1/connections")
                .then()
                .statusCode(400)
                .body("errors.field", hasItem("credentials.username"));

        var connection = SyncTestSupport.connection("token-" + System.nanoTime(), "https://hub.example.com",
                Map.of("type", "DOCKER_HUB", "plainHttp", false, "credentials", Map.of("token", "dckr_pat_SECRET")));
        String url = "/api/v1/connections/" + connection.id();
        given().auth()
                .oauth2(VIEWER)
                .get(url)
                .then()
                .statusCode(200)
                .body("hasCredentials", equalTo(true))
                .body("credentialKind", equalTo("TOKEN"))
                .body(not(containsString("dckr_pat_SECRET")));
        given().auth()
                .oauth2(VIEWER)
                .get("/api/v1/connections")
                .then()
                .statusCode(200)
                .body(not(containsString("dckr_pat_SECRET")));
        // Credentials omitted on update are kept.
        given().auth()
                .oauth2(ADMIN)
                .contentType("application/json")
                .body(Map.of("name", "renamed-" + System.nanoTime(), "type", "DOCKER_HUB", "baseUrl",
                        "https://hub.example.com", "pollIntervalSeconds", 600))
                .put(url)
                .then()
                .statusCode(200)
                .body("hasCredentials", equalTo(true))
                .body("pollIntervalSeconds", equalTo(600));
        given().auth().oauth2(VIEWER).post(url + "/sync").then().statusCode(403);
        given().auth().oauth2(ADMIN).delete(url).then().statusCode(204);
        given().auth().oauth2(ADMIN).get(url).then().statusCode(404);
    }
}
