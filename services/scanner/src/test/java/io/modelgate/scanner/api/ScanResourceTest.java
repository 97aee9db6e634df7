package io.modelgate.scanner.api;

import org.junit.jupiter.api.Test;

import io.modelgate.platform.security.Roles;
import io.modelgate.scanner.client.trivy.TrivyStandInResource;
import io.modelgate.scanner.domain.ScanPipelineTest;
import io.modelgate.testing.ModelgateTestResources;
import io.modelgate.testing.OciImages;
import io.modelgate.testing.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;

@QuarkusTest
@QuarkusTestResource(ModelgateTestResources.class)
@QuarkusTestResource(TrivyStandInResource.class)
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
    void anUnknownSeverityFilterIs400() {
        String digest = ScanPipelineTest.discover("registry.example.com", "models/npm");
        ScanPipelineTest.awaitDone(digest);
        given().auth()
                .oauth2(TestTokens.forUser("vera", Roles.VIEWER))
                .queryParam("severity", "HIGH,SEVERE")
                .get("/api/v1/scans/" + digest)
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("detail", containsString("Unknown severity 'SEVERE'"));
    }

    @Test
    void viewersMayNotReadFullReportsNorRescan() {
        String digest = OciImages.digest("x".getBytes());
        given().auth()
                .oauth2(TestTokens.forUser("vera", Roles.VIEWER))
                .get("/api/v1/scans/" + digest + "/report")
                .then()
                .statusCode(403);
        given().auth()
                .oauth2(TestTokens.forUser("vera", Roles.VIEWER))
                .post("/api/v1/scans/" + digest + "/rescan")
                .then()
                .statusCode(403);
    }

    @Test
    void rescanOfAnUnknownDigestIs404() {
        given().auth()
                .oauth2(TestTokens.forUser("ada", Roles.ADMIN))
                .post("/api/v1/scans/" + OciImages.digest("unknown".getBytes()) + "/rescan")
                .then()
                .statusCode(404)
                .contentType("application/problem+json");
    }

    @Test
    void anonymousCallersAreRefused() {
        given().get("/api/v1/scans/" + OciImages.digest("x".getBytes())).then().statusCode(401);
    }
}
