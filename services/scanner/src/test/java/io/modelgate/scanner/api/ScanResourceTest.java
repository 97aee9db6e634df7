package io.modelgate.scanner.api;

import org.junit.jupiter.api.Test;

import io.modelgate.platform.security.Roles;
import io.modelgate.testing.ModelgateTestResources;
import io.modelgate.testing.OciImages;
import io.modelgate.testing.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;

@QuarkusTest
@QuarkusTestResource(ModelgateTestResources.class)
class ScanResourceTest {

    @Test
    void unknownDigestIs404ProblemJson() {
        String digest = OciImages.digest("never-discovered".getBytes());
        given().auth()
                .oauth2(TestTokens.forUser("vera", Roles.VIEWER))
                .get("/api/v1/scans/" + digest)
                .then()
                .statusCode(404)
                .contentType("application/problem+json")
                .body("detail", containsString(digest));
    }

    @Test
    void adminsMayReadToo() {
        given().auth()
                .oauth2(TestTokens.forUser("ada", Roles.ADMIN))
                .get("/api/v1/scans/" + OciImages.digest("x".getBytes()))
                .then()
                .statusCode(404);
    }

    @Test
    void anonymousCallersAreRefused() {
        given().get("/api/v1/scans/" + OciImages.digest("x".getBytes())).then().statusCode(401);
    }
}
