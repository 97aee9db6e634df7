package io.modelgate.approval.messaging;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.modelgate.approval.Library;
import io.modelgate.events.ApprovalMode;
import io.modelgate.events.EventTypes;
import io.modelgate.events.FunctionType;
import io.modelgate.events.ImageDescriptor;
import io.modelgate.events.ModelApproved;
import io.modelgate.events.ModelRevoked;
import io.modelgate.events.ScanCompleted;
import io.modelgate.events.SeverityCounts;
import io.modelgate.events.Verdict;
import io.modelgate.testing.KafkaTestClient;
import io.modelgate.testing.ModelgateTestResources;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

import static io.modelgate.approval.Library.autoApprove;
import static io.modelgate.approval.Library.reject;
import static io.modelgate.approval.Library.requireApprovals;
import static io.modelgate.approval.Library.rule;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

@QuarkusTest
@QuarkusTestResource(ModelgateTestResources.class)
class ScanConsumerTest {

    private static final Instant T0 = Instant.parse("2026-11-20T10:00:00Z");

    @Inject
    EntityManager entityManager;

    @Test
    void aPassingScanUnderAnAutoApprovingRuleEmitsModelApprovedOnceWithTheAnnotatedFacts() {
        Library.activatePolicy(List.of(rule("clean", List.of("PASS"), autoApprove())), reject(), null);
        String digest = Library.newDigest();
        ImageDescriptor image = Library.image(digest, "models/llama", Map.of(
                "io.modelgate.model.name", "llama-3.1-8b-" + digest.substring(7, 15),
                "io.modelgate.model.version", "3.1.0",
                "io.modelgate.model.function-types", "chat, completion",
                "io.modelgate.model.parameter-count", "8B",
                "io.modelgate.model.context-length", "128k",
                "org.opencontainers.image.licenses", "llama3.1",
                "io.modelgate.model.gpu-count", "1",
                "io.modelgate.model.gpu-type", "nvidia-l4",
                "io.modelgate.model.memory", "32Gi"));
        ScanCompleted scan = Library.scan(image, Verdict.PASS, T0, false);
        KafkaTestClient.shared().sendEvent(scan);

        Map<String, Object> version = Library.awaitVersion(digest, "APPROVED");
        String versionId = (String) version.get("id");
        ModelApproved approved = Library.awaitApproved(versionId);
        assertThat(approved.version()).isEqualTo("3.1.0");
        assertThat(approved.modelName()).startsWith("llama-3.1-8b-");
        assertThat(approved.image().reference()).isEqualTo("registry.example.com/models/llama@" + digest);
        assertThat(approved.functionTypes()).containsExactly(FunctionType.CHAT, FunctionType.COMPLETION);
        assertThat(approved.metadata().parameterCount()).isEqualTo(8_000_000_000L);
        assertThat(approved.metadata().contextLength()).isEqualTo(128_000);
        assertThat(approved.metadata().license()).isEqualTo("llama3.1");
        assertThat(approved.resources().gpuType()).isEqualTo("nvidia-l4");
        assertThat(approved.resources().memory()).isEqualTo("32Gi");
        assertThat(approved.scan().scanId()).isEqualTo(scan.scanId());
        assertThat(approved.approval().mode()).isEqualTo(ApprovalMode.POLICY);
        assertThat(approved.approval().policyRule()).endsWith("/clean");

        // A redelivery of the same record and a second copy of the same scan change nothing.
        KafkaTestClient.shared().sendEvent(scan);
        KafkaTestClient.shared().sendEvent(Library.scan(image, Verdict.PASS, T0, false));
        // A newer passing scan of the same digest (same partition, so processed after them) marks when they were.
        KafkaTestClient.shared().sendEvent(Library.scan(image, Verdict.PASS, T0.plusSeconds(60), true));
        awaitAudit(versionId, "SCAN_RECORDED", 2);
        assertThat(outboxEvents(versionId, EventTypes.MODEL_APPROVED.type())).isEqualTo(1);
    }

    @Test
    void anErrorVerdictNeverAutoApproves() {
        Library.activatePolicy(List.of(rule("clean", List.of("PASS"), autoApprove()),
                rule("unknown", List.of("ERROR"), requireApprovals(1))), reject(), null);
        String digest = Library.newDigest();
        KafkaTestClient.shared()
                .sendEvent(Library.scan(Library.image(digest, "models/broken", Map.of()), Verdict.ERROR, T0, false));

        Map<String, Object> version = Library.awaitVersion(digest, "PENDING_APPROVAL");
        assertThat((String) version.get("policyRule")).endsWith("/unknown");
        assertThat(version.get("requiredApprovals")).isEqualTo(1);
        assertThat(outboxEvents((String) version.get("id"), EventTypes.MODEL_APPROVED.type())).isZero();
    }

    @Test
    void anOlderScanArrivingLateHasNoEffect() {
        Library.activatePolicy(List.of(rule("clean", List.of("PASS"), requireApprovals(1))), reject(), null);
        String digest = Library.newDigest();
        ImageDescriptor image = Library.image(digest, "models/late", Map.of());
        KafkaTestClient.shared().sendEvent(Library.scan(image, Verdict.PASS, T0, false));
        String versionId = (String) Library.awaitVersion(digest, "PENDING_APPROVAL").get("id");

        // Scanned before the one recorded, and failing: applied, it would reject the version.
        KafkaTestClient.shared().sendEvent(Library.scan(image, Verdict.FAIL, T0.minusSeconds(60), true));
        ScanCompleted marker = Library.scan(image, Verdict.PASS, T0.plusSeconds(60), true);
        KafkaTestClient.shared().sendEvent(marker);
        awaitAudit(versionId, "SCAN_RECORDED", 2);
        Map<String, Object> version = Library.awaitVersion(digest, "PENDING_APPROVAL");
        assertThat(((Map<?, ?>) version.get("scan")).get("scanId")).isEqualTo(marker.scanId());
        assertThat(auditCount(versionId, "SCAN_RECORDED")).isEqualTo(2);
        assertThat(auditCount(versionId, "STATE_CHANGED")).isEqualTo(3);
        assertThat(version.get("reviewRound")).isEqualTo(2);
    }

    @Test
    void aFailingRescanOfAnApprovedVersionRevokesItWhenThePolicySaysSo() {
        Library.activatePolicy(List.of(rule("clean", List.of("PASS"), autoApprove())), reject(), "REVOKE");
        String digest = Library.newDigest();
        ImageDescriptor image = Library.image(digest, "models/rescanned", Map.of());
        KafkaTestClient.shared().sendEvent(Library.scan(image, Verdict.PASS, T0, false));
        String versionId = (String) Library.awaitVersion(digest, "APPROVED").get("id");

        KafkaTestClient.shared()
                .sendEvent(Library.scan(image, Verdict.FAIL, new SeverityCounts(2, 0, 0, 0, 0), T0.plusSeconds(3600),
                        true));
        Library.awaitVersion(digest, "REVOKED");
        ModelRevoked revoked = Library.awaitRevoked(versionId);
        assertThat(revoked.digest()).isEqualTo(digest);
        assertThat(revoked.reason()).contains("FAIL");
        assertThat(revoked.revokedBy()).startsWith("policy:policy-").endsWith("/default");
    }

    @Test
    void aFailingRescanOnlyFlagsWhenThePolicySaysSo() {
        Library.activatePolicy(List.of(rule("clean", List.of("PASS"), autoApprove())), reject(), "FLAG");
        String digest = Library.newDigest();
        ImageDescriptor image = Library.image(digest, "models/flagged", Map.of());
        KafkaTestClient.shared().sendEvent(Library.scan(image, Verdict.PASS, T0, false));
        String versionId = (String) Library.awaitVersion(digest, "APPROVED").get("id");

        KafkaTestClient.shared().sendEvent(Library.scan(image, Verdict.FAIL, T0.plusSeconds(3600), true));
        Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .until(() -> Boolean.TRUE.equals(
                        given().auth().oauth2(Library.VIEWER).get("/api/v1/versions/" + versionId).path("flagged")));
        Map<String, Object> version = Library.awaitVersion(digest, "APPROVED");
        assertThat((String) version.get("flagReason")).contains("FAIL");
        assertThat(outboxEvents(versionId, EventTypes.MODEL_REVOKED.type())).isZero();

        // A later passing scan clears the flag, recorded as such.
        KafkaTestClient.shared().sendEvent(Library.scan(image, Verdict.PASS, T0.plusSeconds(7200), true));
        awaitAudit(versionId, "FLAG_CLEARED", 1);
        assertThat(given().auth().oauth2(Library.VIEWER).get("/api/v1/versions/" + versionId).<Boolean>path("flagged"))
                .isFalse();
        assertThat(auditCount(versionId, "FLAGGED")).isEqualTo(1);
    }

    @Test
    void aScanMatchingARejectingRuleRejectsTheVersionWithoutAnEvent() {
        Library.activatePolicy(List.of(rule("clean", List.of("PASS"), autoApprove())), reject(), null);
        String digest = Library.newDigest();
        KafkaTestClient.shared()
                .sendEvent(Library.scan(Library.image(digest, "models/vulnerable", Map.of()), Verdict.FAIL, T0,
                        false));
        Map<String, Object> version = Library.awaitVersion(digest, "REJECTED");
        assertThat((String) version.get("stateActor")).endsWith("/default");
        assertThat(outboxEvents((String) version.get("id"), EventTypes.MODEL_APPROVED.type())).isZero();

        // Refused by a policy, not a person: a newer, passing scan (a fixed vulnerability database, say) is decided
        // again, as an edit or a re-evaluation request would be.
        KafkaTestClient.shared()
                .sendEvent(Library.scan(Library.image(digest, "models/vulnerable", Map.of()), Verdict.PASS,
                        T0.plusSeconds(60), true));
        Library.awaitVersion(digest, "APPROVED");
    }

    private void awaitAudit(String versionId, String action, long count) {
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> auditCount(versionId, action) >= count);
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

    private long auditCount(String versionId, String action) {
        return QuarkusTransaction.requiringNew()
                .call(() -> ((Number) entityManager
                        .createNativeQuery(
                                "select count(*) from audit_entry where version_id = cast(?1 as uuid) and action = ?2")
                        .setParameter(1, versionId)
                        .setParameter(2, action)
                        .getSingleResult()).longValue());
    }
}
