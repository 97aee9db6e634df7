package io.modelgate.approval.api;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.modelgate.approval.Library;
import io.modelgate.events.Verdict;
import io.modelgate.testing.KafkaTestClient;
import io.modelgate.testing.ModelgateTestResources;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

import static io.modelgate.approval.Library.autoApprove;
import static io.modelgate.approval.Library.reject;
import static io.modelgate.approval.Library.rule;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

@QuarkusTest
@QuarkusTestResource(ModelgateTestResources.class)
class BrowseResourceTest {

    @Test
    void versionsAreFilteredSortedAndPaged() {
        Library.activatePolicy(List.of(Map.of("name", "licensed", "when", Map.of("verdicts", List.of("PASS"),
                "licenses", List.of("Apache-2.0")), "outcome", autoApprove())), Library.requireApprovals(1), null);
        String registry = "browse-" + UUID.randomUUID().toString().substring(0, 8) + ".example.com";
        String suffix = registry.substring(7, 15);
        scan(registry, "alpha-" + suffix, "chat", "apache-2.0", Verdict.PASS, "APPROVED");
        scan(registry, "bravo-" + suffix, "embedding,rerank", "apache-2.0", Verdict.PASS, "APPROVED");
        scan(registry, "charlie-" + suffix, "chat", "mit", Verdict.PASS, "PENDING_APPROVAL");
        scan(registry, "delta-" + suffix, "ocr", "apache-2.0", Verdict.FAIL, "PENDING_APPROVAL");

        given().auth()
                .oauth2(Library.VIEWER)
                .queryParam("registry", registry)
                .queryParam("sort", "name")
                .queryParam("order", "asc")
                .queryParam("size", 2)
                .get("/api/v1/versions")
                .then()
                .statusCode(200)
                .body("total", equalTo(4))
                .body("items.modelName", equalTo(List.of("alpha-" + suffix, "bravo-" + suffix)))
                .body("items[0].annotations", equalTo(null));
        given().auth()
                .oauth2(Library.VIEWER)
                .queryParam("registry", registry)
                .queryParam("sort", "name")
                .queryParam("order", "asc")
                .queryParam("size", 2)
                .queryParam("page", 1)
                .get("/api/v1/versions")
                .then()
                .statusCode(200)
                .body("items.modelName", equalTo(List.of("charlie-" + suffix, "delta-" + suffix)));
        given().auth()
                .oauth2(Library.VIEWER)
                .queryParam("registry", registry)
                .queryParam("functionType", "chat")
                .queryParam("sort", "name")
                .queryParam("order", "desc")
                .get("/api/v1/versions")
                .then()
                .statusCode(200)
                .body("items.modelName", equalTo(List.of("charlie-" + suffix, "alpha-" + suffix)));
        given().auth()
                .oauth2(Library.VIEWER)
                .queryParam("registry", registry)
                .queryParam("state", "approved")
                .queryParam("license", "APACHE-2.0")
                .queryParam("sort", "name")
                .queryParam("order", "asc")
                .get("/api/v1/versions")
                .then()
                .statusCode(200)
                .body("items.modelName", equalTo(List.of("alpha-" + suffix, "bravo-" + suffix)))
                .body("items[1].functionTypes", equalTo(List.of("EMBEDDING", "RERANK")));
        given().auth()
                .oauth2(Library.VIEWER)
                .queryParam("registry", registry)
                .queryParam("q", "CHARLIE")
                .get("/api/v1/versions")
                .then()
                .statusCode(200)
                .body("items.state", equalTo(List.of("PENDING_APPROVAL")))
                .body("items[0].policyRule", containsString("/default"));
        given().auth()
                .oauth2(Library.VIEWER)
                .queryParam("functionType", "rerank")
                .queryParam("q", suffix)
                .get("/api/v1/models")
                .then()
                .statusCode(200)
                .body("total", equalTo(1))
                .body("items[0].name", equalTo("bravo-" + suffix));
    }

    @Test
    void badBrowseParametersAre400() {
        for (Map<String, Object> params : List.<Map<String, Object>>of(Map.of("sort", "colour"),
                Map.of("order", "sideways"), Map.of("size", 0), Map.of("size", 100000), Map.of("page", -1),
                Map.of("page", 20_000_000, "size", 200),
                Map.of("functionType", "telepathy"), Map.of("state", "LIMBO"))) {
            given().auth()
                    .oauth2(Library.VIEWER)
                    .queryParams(params)
                    .get("/api/v1/versions")
                    .then()
                    .statusCode(400)
                    .contentType("application/problem+json");
        }
        given().get("/api/v1/versions").then().statusCode(401);
    }

    @Test
    void aModelShowsItsVersionsAndAdministratorsCurateIt() {
        Library.activatePolicy(List.of(rule("clean", List.of("PASS"), autoApprove())), reject(), null);
        String registry = "curate-" + UUID.randomUUID().toString().substring(0, 8) + ".example.com";
        String digest = scan(registry, "echo-" + registry.substring(7, 15), "chat", "mit", Verdict.PASS,
                "APPROVED");
        Map<String, Object> version = Library.awaitVersion(digest, "APPROVED");
        String modelId = (String) version.get("modelId");

        given().auth()
                .oauth2(Library.VIEWER)
                .get("/api/v1/models/" + modelId)
                .then()
                .statusCode(200)
                .body("versions", hasSize(1))
                .body("versions[0].digest", equalTo(digest))
                .body("publisher", equalTo("Example Labs"));
        given().auth()
                .oauth2(Library.ADMIN)
                .contentType("application/json")
                .body(Map.of("description", "A chat model", "functionTypes", List.of("chat", "image-embedding"),
                        "comment", "model card"))
                .patch("/api/v1/models/" + modelId)
                .then()
                .statusCode(200)
                .body("functionTypes", equalTo(List.of("CHAT", "IMAGE_EMBEDDING")));
        given().auth()
                .oauth2(Library.VIEWER)
                .get("/api/v1/models/" + modelId + "/history")
                .then()
                .statusCode(200)
                .body("field", equalTo(List.of("description", "functionTypes")))
                .body("changedBy", equalTo(List.of("ada", "ada")))
                .body("[0].newValue", equalTo("A chat model"));
        given().auth()
                .oauth2(Library.VIEWER)
                .queryParam("registry", registry)
                .queryParam("functionType", "image-embedding")
                .get("/api/v1/versions")
                .then()
                .statusCode(200)
                .body("items.digest", equalTo(List.of(digest)))
                .body("items[0].functionTypes", equalTo(List.of("CHAT", "IMAGE_EMBEDDING")));
        given().auth()
                .oauth2(Library.ADMIN)
                .contentType("application/json")
                .body(Map.of("functionTypes", List.of("telepathy")))
                .patch("/api/v1/models/" + modelId)
                .then()
                .statusCode(400);
        given().auth()
                .oauth2(Library.approver("alice"))
                .contentType("application/json")
                .body(Map.of("description", "mine now"))
                .patch("/api/v1/models/" + modelId)
                .then()
                .statusCode(403);
        given().auth()
                .oauth2(Library.VIEWER)
                .get("/api/v1/versions/" + version.get("id"))
                .then()
                .statusCode(200)
                .body("annotations.'io.modelgate.model.function-types'", equalTo("chat"));
    }

    private static String scan(String registry, String name, String functionTypes, String license,
            Verdict verdict, String expectedState) {
        String digest = Library.newDigest();
        KafkaTestClient.shared()
                .sendEvent(Library.scan(Library.image(digest, registry, "models/" + name, "v1",
                        Map.of("io.modelgate.model.name", name, "io.modelgate.model.function-types", functionTypes,
                                "io.modelgate.model.license", license, "org.opencontainers.image.vendor",
                                "Example Labs")),
                        verdict, Instant.now(), false));
        Library.awaitVersion(digest, expectedState);
        return digest;
    }
}
