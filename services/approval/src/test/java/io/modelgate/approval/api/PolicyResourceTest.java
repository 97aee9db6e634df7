package io.modelgate.approval.api;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.modelgate.approval.Library;
import io.modelgate.testing.ModelgateTestResources;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;

import static io.modelgate.approval.Library.autoApprove;
import static io.modelgate.approval.Library.reject;
import static io.modelgate.approval.Library.requireApprovals;
import static io.modelgate.approval.Library.rule;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;

@QuarkusTest
@QuarkusTestResource(ModelgateTestResources.class)
class PolicyResourceTest {

    @Test
    void anAutoApproveRuleThatCouldMatchAnErrorVerdictIsRefused() {
        create(Map.of("name", "lax", "rules", List.of(
                Map.of("name", "anything", "outcome", autoApprove()),
                rule("errors-too", List.of("PASS", "ERROR"), autoApprove())), "defaultOutcome", reject()))
                .statusCode(400)
                .contentType("application/problem+json")
                .body("errors.field", hasItems("rules[0].when.verdicts", "rules[1].when.verdicts"))
                .body("detail", containsString("never auto-approves"));
    }

    @Test
    void everyProblemOfAPolicyIsNamed() {
        create(Map.of("name", "broken", "rules", List.of(
                rule("dup", List.of("PASS"), requireApprovals(0)),
                Map.of("name", "dup", "when", Map.of("verdicts", List.of("MAYBE"), "maxCritical", -1,
                        "requiredMetadata", List.of("colour")), "outcome",
                        Map.of("action", "REQUIRE_APPROVALS", "approvals", 1, "role", "modelgate-viewer"))),
                "defaultOutcome", autoApprove()))
                .statusCode(400)
                .body("errors.field", hasItems("rules[0].outcome.approvals", "rules[1].name",
                        "rules[1].when.verdicts", "rules[1].when.maxCritical", "rules[1].when.requiredMetadata",
                        "rules[1].outcome.role", "defaultOutcome.action"));
        create(Map.of("rules", List.of())).statusCode(400).body("errors.field", hasItems("name", "defaultOutcome"));
        java.util.List<String> withNull = new java.util.ArrayList<>();
        withNull.add(null);
        create(Map.of("name", "null-metadata", "rules", List.of(Map.of("name", "r", "when",
                Map.of("verdicts", List.of("PASS"), "requiredMetadata", withNull), "outcome", requireApprovals(1))),
                "defaultOutcome", Map.of("action", "REJECT")))
                .statusCode(400)
                .body("errors.field", hasItems("rules[0].when.requiredMetadata"));
        create(Map.of("name", "bad-action", "rules", List.of(), "defaultOutcome", Map.of("action", "MAYBE")))
                .statusCode(400);
    }

    @Test
    void policiesAreCreatedChangedActivatedAndDeleted() {
        String name = "strict-" + UUID.randomUUID();
        String id = create(Map.of("name", name, "description", "two approvers for everything that passed",
                "rules", List.of(rule("passed", List.of("PASS"), requireApprovals(2))), "defaultOutcome", reject()))
                .statusCode(201)
                .body("active", equalTo(false))
                .body("onRescanFailure", equalTo("REVOKE"))
                .body("createdBy", equalTo("ada"))
                .extract()
                .path("id");
        create(Map.of("name", name, "rules", List.of(), "defaultOutcome", reject())).statusCode(409);

        given().auth()
                .oauth2(Library.ADMIN)
                .contentType("application/json")
                .body(Map.of("name", name, "rules", List.of(Map.of("name", "licensed", "when",
                        Map.of("verdicts", List.of("PASS"), "licenses", List.of("apache-2.0", "mit"),
                                "registry", "*.example.com", "maxHigh", 0),
                        "outcome", autoApprove())), "defaultOutcome", requireApprovals(1), "onRescanFailure",
                        "FLAG"))
                .put("/api/v1/policies/" + id)
                .then()
                .statusCode(200)
                .body("rules[0].when.licenses", equalTo(List.of("apache-2.0", "mit")))
                .body("defaultOutcome.approvals", equalTo(1))
                .body("onRescanFailure", equalTo("FLAG"));

        given().auth()
                .oauth2(Library.ADMIN)
                .post("/api/v1/policies/" + id + "/activation")
                .then()
                .statusCode(200)
                .body("active", equalTo(true));
        given().auth()
                .oauth2(Library.VIEWER)
                .get("/api/v1/policies")
                .then()
                .statusCode(200)
                .body("findAll { it.active }.id", equalTo(List.of(id)));
        given().auth().oauth2(Library.ADMIN).delete("/api/v1/policies/" + id).then().statusCode(409);

        String other = Library.activatePolicy(List.of(), reject(), null);
        given().auth()
                .oauth2(Library.VIEWER)
                .get("/api/v1/policies/" + id)
                .then()
                .statusCode(200)
                .body("active", equalTo(false));
        given().auth().oauth2(Library.ADMIN).delete("/api/v1/policies/" + id).then().statusCode(204);
        given().auth().oauth2(Library.VIEWER).get("/api/v1/policies/" + id).then().statusCode(404);
        given().auth()
                .oauth2(Library.VIEWER)
                .queryParam("policyId", id)
                .get("/api/v1/audit")
                .then()
                .statusCode(200)
                .body("items.action", equalTo(List.of("POLICY_CREATED", "POLICY_UPDATED", "POLICY_ACTIVATED",
                        "POLICY_DELETED")));
        given().auth()
                .oauth2(Library.VIEWER)
                .get("/api/v1/policies/" + other)
                .then()
                .statusCode(200)
                .body("active", equalTo(true));
    }

    @Test
    void onlyAdministratorsManagePolicies() {
        Map<String, Object> body = Map.of("name", "x", "rules", List.of(), "defaultOutcome", reject());
        given().contentType("application/json").body(body).post("/api/v1/policies").then().statusCode(401);
        given().auth()
                .oauth2(Library.approver("alice"))
                .contentType("application/json")
                .body(body)
                .post("/api/v1/policies")
                .then()
                .statusCode(403);
        given().auth()
                .oauth2(Library.VIEWER)
                .post("/api/v1/policies/" + UUID.randomUUID() + "/activation")
                .then()
                .statusCode(403);
        given().auth()
                .oauth2(Library.ADMIN)
                .post("/api/v1/policies/" + UUID.randomUUID() + "/activation")
                .then()
                .statusCode(404);
        given().auth()
                .oauth2(Library.ADMIN)
                .contentType("application/json")
                .body(body)
                .put("/api/v1/policies/" + UUID.randomUUID())
                .then()
                .statusCode(404);
        given().get("/api/v1/audit").then().statusCode(401);
        given().auth()
                .oauth2(Library.VIEWER)
                .queryParam("action", "nonsense")
                .get("/api/v1/audit")
                .then()
                .statusCode(400)
                .body("detail", containsString("action"));
        given().auth()
                .oauth2(Library.VIEWER)
                .queryParam("since", "yesterday")
                .get("/api/v1/audit")
                .then()
                .statusCode(400)
                .body("detail", containsString("since"));
    }

    private static ValidatableResponse create(Map<String, Object> body) {
        return given().auth()
                .oauth2(Library.ADMIN)
                .contentType("application/json")
                .body(body)
                .post("/api/v1/policies")
                .then();
    }
}
