package io.modelgate.scanner.api;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.modelgate.platform.security.Roles;
import io.modelgate.scanner.client.trivy.TrivyStandInResource;
import io.modelgate.testing.ModelgateTestResources;
import io.modelgate.testing.OciImages;
import io.modelgate.testing.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

@QuarkusTest
@QuarkusTestResource(ModelgateTestResources.class)
@QuarkusTestResource(TrivyStandInResource.class)
class PolicyResourceTest {

    private static RequestSpecification as(String user, String role) {
        return given().auth().oauth2(TestTokens.forUser(user, role)).contentType("application/json");
    }

    private static Map<String, Object> exception(String cve) {
        Map<String, Object> body = new HashMap<>();
        body.put("cveId", cve);
        body.put("repositoryPattern", "models/*");
        body.put("reason", "not reachable from the model server");
        body.put("owner", "ml-platform");
        body.put("expiresAt", Instant.now().plus(Duration.ofDays(30)).toString());
        return body;
    }

    @Test
    void theDefaultPolicyFailsCriticalsAndSecrets() {
        as("vera", Roles.VIEWER).get("/api/v1/policy")
                .then()
                .statusCode(200)
                .body("maxSeverity", equalTo("HIGH"))
                .body("secretsFail", equalTo(true))
                .body("ignoreUnfixed", equalTo(false));
    }

    @Test
    void anUnknownSeverityIs400() {
        as("ada", Roles.ADMIN).body(Map.of("maxSeverity", "SEVERE", "ignoreUnfixed", false, "secretsFail", true))
                .put("/api/v1/policy")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("detail", containsString("Unknown severity 'SEVERE'"));
    }

    @Test
    void aCvssThresholdOutOfRangeIs400NamingTheField() {
        as("ada", Roles.ADMIN)
                .body(Map.of("maxSeverity", "HIGH", "ignoreUnfixed", false, "secretsFail", true, "cvssThreshold", 11))
                .put("/api/v1/policy")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body(containsString("cvssThreshold"));
    }

    @Test
    void onlyAdminsChangeThePolicy() {
        as("opal", Roles.OPERATOR).body(Map.of("maxSeverity", "LOW", "ignoreUnfixed", false, "secretsFail", true))
                .put("/api/v1/policy")
                .then()
                .statusCode(403);
        as("opal", Roles.OPERATOR).body(exception("CVE-2024-0001"))
                .post("/api/v1/policy/exceptions")
                .then()
                .statusCode(403);
    }

    @Test
    void anExceptionIsRecordedListedAndWithdrawn() {
        String id = as("ada", Roles.ADMIN).body(exception("CVE-2024-1234"))
                .post("/api/v1/policy/exceptions")
                .then()
                .statusCode(201)
                .body("active", equalTo(true))
                .body("createdBy", equalTo("ada"))
                .extract()
                .path("id");
        as("vera", Roles.VIEWER).get("/api/v1/policy").then().statusCode(200).body("exceptions.id", hasItem(id));
        as("ada", Roles.ADMIN).delete("/api/v1/policy/exceptions/" + id).then().statusCode(204);
        as("vera", Roles.VIEWER).get("/api/v1/policy").then().body("exceptions.id", not(hasItem(id)));
        as("ada", Roles.ADMIN).delete("/api/v1/policy/exceptions/" + id).then().statusCode(404);
    }

    @Test
    void anExpiryInThePastIs400() {
        Map<String, Object> body = exception("CVE-2024-1234");
        body.put("expiresAt", Instant.now().minus(Duration.ofDays(1)).toString());
        as("ada", Roles.ADMIN).body(body)
                .post("/api/v1/policy/exceptions")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("detail", containsString("is not in the future"));
    }

    @Test
    void anExceptionNeedsExactlyOneScopeAndItsFields() {
        Map<String, Object> both = exception("CVE-2024-1234");
        both.put("digest", OciImages.digest("x".getBytes()));
        as("ada", Roles.ADMIN).body(both)
                .post("/api/v1/policy/exceptions")
                .then()
                .statusCode(400)
                .body("detail", containsString("exactly one of repositoryPattern or digest"));
        Map<String, Object> neither = exception("CVE-2024-1234");
        neither.remove("repositoryPattern");
        as("ada", Roles.ADMIN).body(neither).post("/api/v1/policy/exceptions").then().statusCode(400);
        Map<String, Object> noOwner = exception("CVE-2024-1234");
        noOwner.remove("owner");
        as("ada", Roles.ADMIN).body(noOwner)
                .post("/api/v1/policy/exceptions")
                .then()
                .statusCode(400)
                .body(containsString("owner"));
    }
}
