package io.modelgate.approval.api;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.modelgate.approval.Library;
import io.modelgate.events.ApprovalMode;
import io.modelgate.events.EventTypes;
import io.modelgate.events.ModelApproved;
import io.modelgate.events.ModelRevoked;
import io.modelgate.events.Verdict;
import io.modelgate.platform.security.Roles;
import io.modelgate.testing.KafkaTestClient;
import io.modelgate.testing.ModelgateTestResources;
import io.modelgate.testing.TestTokens;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;

import static io.modelgate.approval.Library.reject;
import static io.modelgate.approval.Library.requireApprovals;
import static io.modelgate.approval.Library.rule;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasSize;

@QuarkusTest
@QuarkusTestResource(ModelgateTestResources.class)
class DecisionResourceTest {

    @Inject
    EntityManager entityManager;

    @Test
    void twoDistinctApproversAreNeededAndNobodyCountsTwice() {
        Library.activatePolicy(List.of(rule("two-eyes", List.of("PASS"), requireApprovals(2))), reject(), null);
        String versionId = pendingVersion("models/two-eyes");

        decide(versionId, Library.approver("alice"), "APPROVE", "looks fine").statusCode(200)
                .body("decidedBy", equalTo("alice"));
        decide(versionId, Library.approver("alice"), "APPROVE", "again").statusCode(409)
                .contentType("application/problem+json")
                .body("detail", containsString("already decided"));
        version(versionId).body("state", equalTo("PENDING_APPROVAL"));

        decide(versionId, Library.approver("bob"), "APPROVE", null).statusCode(200);
        version(versionId).body("state", equalTo("APPROVED"));
        ModelApproved approved = Library.awaitApproved(versionId);
        assertThat(approved.approval().mode()).isEqualTo(ApprovalMode.HUMAN);
        assertThat(approved.approval().approvedBy()).containsExactly("alice", "bob");
        assertThat(approved.approval().comment()).isEqualTo("alice: looks fine");
        assertThat(outboxEvents(versionId, EventTypes.MODEL_APPROVED.type())).isEqualTo(1);

        decide(versionId, Library.approver("carol"), "APPROVE", null).statusCode(409)
                .body("detail", containsString("APPROVED"));
        given().auth()
                .oauth2(Library.VIEWER)
                .get("/api/v1/versions/" + versionId + "/decisions")
                .then()
                .statusCode(200)
                .body("decidedBy", equalTo(List.of("alice", "bob")));
        given().auth()
                .oauth2(Library.VIEWER)
                .queryParam("versionId", versionId)
                .queryParam("action",
                        "decision_recorded")
                .get("/api/v1/audit")
                .then()
                .statusCode(200)
                .body("total", equalTo(2))
                .body("items.actor", equalTo(List.of("alice", "bob")));

        revoke(versionId, Library.approver("alice"), "licence withdrawn by the publisher").statusCode(200)
                .body("state", equalTo("REVOKED"));
        ModelRevoked revoked = Library.awaitRevoked(versionId);
        assertThat(revoked.revokedBy()).isEqualTo("alice");
        assertThat(revoked.reason()).isEqualTo("licence withdrawn by the publisher");
        revoke(versionId, Library.ADMIN, "twice").statusCode(409);
    }

    @Test
    void whoeverEditedTheMetadataCannotApproveIt() {
        Library.activatePolicy(List.of(rule("one", List.of("PASS"), requireApprovals(1))), reject(), null);
        String versionId = pendingVersion("models/self");
        String sam = TestTokens.forUser("sam", Roles.ADMIN, Roles.APPROVER);

        given().auth()
                .oauth2(sam)
                .contentType("application/json")
                .body(Map.of("license", "apache-2.0", "gpuCount", 2, "comment", "from the model card"))
                .patch("/api/v1/versions/" + versionId + "/metadata")
                .then()
                .statusCode(200)
                .body("metadata.license", equalTo("apache-2.0"))
                .body("resources.gpuCount", equalTo(2))
                .body("state", equalTo("PENDING_APPROVAL"))
                .body("reviewRound", equalTo(2));
        version(versionId).body("requesters", equalTo(List.of("sam")));
        decide(versionId, sam, "APPROVE", null).statusCode(403)
                .contentType("application/problem+json")
                .body("detail", containsString("Separation of duties"));
        given().auth()
                .oauth2(Library.VIEWER)
                .get("/api/v1/versions/" + versionId + "/metadata/history")
                .then()
                .statusCode(200)
                .body("$", hasSize(2))
                .body("field", hasItems("license", "gpuCount"))
                .body("changedBy", hasItems("sam"));

        decide(versionId, Library.approver("alice"), "APPROVE", null).statusCode(200);
        version(versionId).body("state", equalTo("APPROVED"));
        given().auth()
                .oauth2(sam)
                .contentType("application/json")
                .body(Map.of("license", "mit"))
                .patch("/api/v1/versions/" + versionId + "/metadata")
                .then()
                .statusCode(409);
    }

    @Test
    void editingTheModelReopensItsUndecidedVersionsAndTheEditorCannotApproveThem() {
        Library.activatePolicy(List.of(Map.of("name", "documented", "when",
                Map.of("verdicts", List.of("PASS"), "requiredMetadata", List.of("description")), "outcome",
                requireApprovals(1))), reject(), null);
        String digest = Library.newDigest();
        KafkaTestClient.shared()
                .sendEvent(Library.scan(Library.image(digest, "models/undocumented-" + UUID.randomUUID(), Map.of()),
                        Verdict.PASS, Instant.now(), false));
        Map<String, Object> rejected = Library.awaitVersion(digest, "REJECTED");
        String versionId = (String) rejected.get("id");
        String sam = TestTokens.forUser("sam", Roles.ADMIN, Roles.APPROVER);

        given().auth()
                .oauth2(sam)
                .contentType("application/json")
                .body(Map.of("description", "An instruction-tuned chat model"))
                .patch("/api/v1/models/" + rejected.get("modelId"))
                .then()
                .statusCode(200);
        version(versionId).body("state", equalTo("PENDING_APPROVAL"))
                .body("policyRule", containsString("documented"))
                .body("requesters", equalTo(List.of("sam")));
        decide(versionId, sam, "APPROVE", null).statusCode(403).body("detail", containsString("Separation of duties"));
        decide(versionId, Library.approver("alice"), "APPROVE", null).statusCode(200);
        version(versionId).body("state", equalTo("APPROVED"));
    }

    @Test
    void oneRejectionRejectsAndAPersonsRejectionIsFinal() {
        Library.activatePolicy(List.of(rule("two", List.of("PASS"), requireApprovals(2))), reject(), null);
        String versionId = pendingVersion("models/rejected");

        decide(versionId, Library.approver("alice"), "REJECT", "unknown provenance").statusCode(200);
        version(versionId).body("state", equalTo("REJECTED")).body("stateActor", equalTo("alice"));
        given().auth()
                .oauth2(Library.ADMIN)
                .post("/api/v1/versions/" + versionId + "/re-evaluation")
                .then()
                .statusCode(409);
        assertThat(outboxEvents(versionId, EventTypes.MODEL_APPROVED.type())).isZero();
    }

    @Test
    void aRuleMayRequireApproversWithAnotherRole() {
        Library.activatePolicy(List.of(rule("admins", List.of("PASS"),
                Map.of("action", "REQUIRE_APPROVALS", "approvals", 1, "role", Roles.ADMIN))), reject(), null);
        String versionId = pendingVersion("models/admins-only");

        decide(versionId, Library.approver("alice"), "APPROVE", null).statusCode(403)
                .body("detail", containsString(Roles.ADMIN));
        decide(versionId, TestTokens.forUser("root", Roles.ADMIN, Roles.APPROVER), "APPROVE", null).statusCode(200);
        version(versionId).body("state", equalTo("APPROVED"));
    }

    @Test
    void pendingVersionsAreCountedInTheMetrics() {
        Library.activatePolicy(List.of(rule("one", List.of("PASS"), requireApprovals(1))), reject(), null);
        pendingVersion("models/counted");
        // The gauge (cached for a few seconds) must come to equal what the database holds, this version included.
        Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> pending() == pendingInDatabase());
        assertThat(pendingInDatabase()).isPositive();
    }

    private long pendingInDatabase() {
        return QuarkusTransaction.requiringNew()
                .call(() -> ((Number) entityManager
                        .createNativeQuery("select count(*) from model_version where state = 'PENDING_APPROVAL'")
                        .getSingleResult()).longValue());
    }

    private static double pending() {
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        return metrics.lines()
                .filter(line -> line.startsWith("modelgate_approval_versions{") && line.contains("PENDING_APPROVAL"))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .findFirst()
                .orElse(-1);
    }

    @Test
    void callersNeedTheirRoles() {
        String versionId = UUID.randomUUID().toString();
        given().contentType("application/json")
                .body(Map.of("decision", "APPROVE"))
                .post("/api/v1/versions/" + versionId + "/decisions")
                .then()
                .statusCode(401);
        decide(versionId, Library.VIEWER, "APPROVE", null).statusCode(403);
        decide(versionId, TestTokens.forUser("olga", Roles.OPERATOR), "APPROVE", null).statusCode(403);
        // Administrators manage; only approvers decide.
        decide(versionId, Library.ADMIN, "APPROVE", null).statusCode(403);
        revoke(versionId, Library.VIEWER, "no").statusCode(403);
        given().auth()
                .oauth2(Library.approver("alice"))
                .post("/api/v1/versions/" + versionId + "/re-evaluation")
                .then()
                .statusCode(403);
        given().auth()
                .oauth2(Library.approver("alice"))
                .contentType("application/json")
                .body(Map.of("license", "mit"))
                .patch("/api/v1/versions/" + versionId + "/metadata")
                .then()
                .statusCode(403);
    }

    @Test
    void unknownVersionsAndModelsAre404() {
        String id = UUID.randomUUID().toString();
        version(id).statusCode(404).contentType("application/problem+json").body("detail", containsString(id));
        decide(id, Library.approver("alice"), "APPROVE", null).statusCode(404);
        revoke(id, Library.ADMIN, "gone").statusCode(404);
        given().auth().oauth2(Library.VIEWER).get("/api/v1/versions/" + id + "/decisions").then().statusCode(404);
        given().auth().oauth2(Library.VIEWER).get("/api/v1/models/" + id).then().statusCode(404);
        given().auth()
                .oauth2(Library.ADMIN)
                .contentType("application/json")
                .body(Map.of("publisher", "x"))
                .patch("/api/v1/models/" + id)
                .then()
                .statusCode(404);
    }

    @Test
    void aDecisionNeedsAKnownDecision() {
        decide(UUID.randomUUID().toString(), Library.approver("alice"), null, "no decision").statusCode(400)
                .body("errors.field", hasItems("decision"));
    }

    private String pendingVersion(String repository) {
        String digest = Library.newDigest();
        KafkaTestClient.shared()
                .sendEvent(Library.scan(Library.image(digest, repository, Map.of()), Verdict.PASS,
                        Instant.now(), false));
        return (String) Library.awaitVersion(digest, "PENDING_APPROVAL").get("id");
    }

    private static ValidatableResponse decide(String versionId, String token, String decision, String comment) {
        Map<String, Object> body = new HashMap<>();
        body.put("decision", decision);
        body.put("comment", comment);
        return given().auth()
                .oauth2(token)
                .contentType("application/json")
                .body(body)
                .post("/api/v1/versions/" + versionId + "/decisions")
                .then();
    }

    private static ValidatableResponse revoke(String versionId, String token, String reason) {
        return given().auth()
                .oauth2(token)
                .contentType("application/json")
                .body(Map.of("reason", reason))
                .post("/api/v1/versions/" + versionId + "/revocation")
                .then();
    }

    private static ValidatableResponse version(String versionId) {
        return given().auth().oauth2(Library.VIEWER).get("/api/v1/versions/" + versionId).then();
    }

    private long outboxEvents(String versionId, String type) {
        return QuarkusTransaction.requiringNew()
                .call(() -> ((Number) entityManager
                        .createNativeQuery(
                                "select count(*) from outbox_event where record_key = ?1 and event_type = ?2")
                        .setParameter(1, versionId)
                        .setParameter(2, type)
                        .getSingleResult()).longValue());
    }
}
