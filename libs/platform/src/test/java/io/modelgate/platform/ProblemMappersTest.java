package io.modelgate.platform;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.modelgate.platform.security.Roles;
import io.modelgate.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

@QuarkusTest
class ProblemMappersTest {

    @Test
    void missingTokenIs401ProblemJson() {
        given().get("/test/admin-only")
                .then()
                .statusCode(401)
                .contentType("application/problem+json")
                .header("WWW-Authenticate", "Bearer")
                .body("status", equalTo(401))
                .body("title", equalTo("Unauthorized"));
    }

    @Test
    void tokenFromAnotherIssuerIs401() {
        given().auth()
                .oauth2("eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl")
                .get("/test/admin-only")
                .then()
                .statusCode(401)
                .contentType("application/problem+json");
    }

    @Test
    void wrongRoleIs403ProblemJson() {
        given().auth()
                .oauth2(TestTokens.forUser("vera", Roles.VIEWER))
                .get("/test/admin-only")
                .then()
                .statusCode(403)
                .contentType("application/problem+json")
                .body("status", equalTo(403));
    }

    @Test
    void rightRolePasses() {
        given().auth()
                .oauth2(TestTokens.forUser("ada", Roles.ADMIN))
                .get("/test/admin-only")
                .then()
                .statusCode(200)
                .body(equalTo("ok"));
    }

    @Test
    void invalidFieldsAre400WithEachFieldNamed() {
        given().contentType("application/json")
                .body(Map.of("digest", "not-a-digest"))
                .post("/test/notes")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("status", equalTo(400))
                .body("errors.field", hasItem("digest"))
                .body("instance", equalTo("/test/notes"));
    }

    @Test
    void malformedJsonIs400() {
        given().contentType("application/json")
                .body("{\"digest\": ")
                .post("/test/notes")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("detail", containsString("not valid JSON"));
    }

    @Test
    void unexpectedErrorIs500WithoutItsMessage() {
        given().get("/test/boom")
                .then()
                .statusCode(500)
                .contentType("application/problem+json")
                .body("title", equalTo("Internal Server Error"))
                .body(not(containsString("hunter2")));
    }
}
