package io.modelgate.approval;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.Awaitility;

import io.modelgate.events.EventJson;
import io.modelgate.events.EventTypes;
import io.modelgate.events.ImageDescriptor;
import io.modelgate.events.ModelApproved;
import io.modelgate.events.ModelRevoked;
import io.modelgate.events.ScanCompleted;
import io.modelgate.events.ScannerInfo;
import io.modelgate.events.SeverityCounts;
import io.modelgate.events.Topics;
import io.modelgate.events.Verdict;
import io.modelgate.platform.messaging.CloudEventHeaders;
import io.modelgate.platform.security.Roles;
import io.modelgate.testing.KafkaTestClient;
import io.modelgate.testing.OciImages;
import io.modelgate.testing.TestTokens;
import io.restassured.path.json.JsonPath;

import static io.restassured.RestAssured.given;

/** Test helpers: scans sent to the real topic, policies set through the API, versions and events awaited. */
public final class Library {

    public static final String ADMIN = TestTokens.forUser("ada", Roles.ADMIN);
    public static final String VIEWER = TestTokens.forUser("vera", Roles.VIEWER);

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private Library() {
    }

    public static String approver(String user) {
        return TestTokens.forUser(user, Roles.APPROVER);
    }

    public static String newDigest() {
        return OciImages.digest(UUID.randomUUID().toString().getBytes());
    }

    public static ImageDescriptor image(String digest, String repository, Map<String, String> annotations) {
        return image(digest, "registry.example.com", repository, "1.0", annotations);
    }

    public static ImageDescriptor image(String digest, String registry, String repository, String tag,
            Map<String, String> annotations) {
        return new ImageDescriptor("conn-1", registry, repository, tag, digest,
                ImageDescriptor.pinnedReference(registry, repository, digest), OciImages.MANIFEST_MEDIA_TYPE, null,
                4096, Instant.parse("2026-11-01T00:00:00Z"), Map.of(), annotations);
    }

    public static ScanCompleted scan(ImageDescriptor image, Verdict verdict, Instant scannedAt, boolean rescan) {
        return scan(image, verdict, SeverityCounts.none(), scannedAt, rescan);
    }

    public static ScanCompleted scan(ImageDescriptor image, Verdict verdict, SeverityCounts counts, Instant scannedAt,
            boolean rescan) {
        return ScanCompleted.of("scan-" + UUID.randomUUID(), image,
                new ScannerInfo("trivy", "0.58.0", "2026-11-24", null), verdict, counts, 0, 0,
                verdict == Verdict.PASS ? List.of() : List.of("scan said " + verdict), rescan, null, scannedAt);
    }

    /**
     * Sends {@code scan} as the scanner's outbox relay would, CloudEvents headers and a {@code traceparent}: the scan
     * arrives in a trace that started upstream.
     */
    public static void sendScan(ScanCompleted scan, String traceparent) {
        KafkaTestClient.shared()
                .send(Topics.SCANNER_SCANS, scan.key(), EventJson.write(scan), Map.of(
                        "ce_specversion", "1.0",
                        "ce_id", scan.eventId().toString(),
                        "ce_type", EventTypes.SCAN_COMPLETED.type(),
                        "ce_source", "/modelgate/scanner",
                        "ce_time", scan.occurredAt().toString(),
                        "content-type", "application/json",
                        CloudEventHeaders.TRACEPARENT, traceparent));
    }

    /** Creates a policy and makes it the active one; returns its id. */
    public static String activatePolicy(List<Map<String, Object>> rules, Map<String, Object> defaultOutcome,
            String onRescanFailure) {
        Map<String, Object> body = new HashMap<>(Map.of("name", "policy-" + UUID.randomUUID(), "rules",
                rules, "defaultOutcome", defaultOutcome));
        if (onRescanFailure != null) {
            body.put("onRescanFailure", onRescanFailure);
        }
        return given().auth()
                .oauth2(ADMIN)
                .contentType("application/json")
                .body(body)
                .queryParam("activate", true)
                .post("/api/v1/policies")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
    }

    public static Map<String, Object> rule(String name, List<String> verdicts, Map<String, Object> outcome) {
        return Map.of("name", name, "when", Map.of("verdicts", verdicts), "outcome", outcome);
    }

    public static Map<String, Object> autoApprove() {
        return Map.of("action", "AUTO_APPROVE");
    }

    public static Map<String, Object> requireApprovals(int n) {
        return Map.of("action", "REQUIRE_APPROVALS", "approvals", n);
    }

    public static Map<String, Object> reject() {
        return Map.of("action", "REJECT");
    }

    /** Waits until the version of a digest exists and is in {@code state}; returns it as the API shows it. */
    public static Map<String, Object> awaitVersion(String digest, String state) {
        JsonPath[] found = new JsonPath[1];
        Awaitility.await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(100)).until(() -> {
            JsonPath page = given().auth()
                    .oauth2(VIEWER)
                    .queryParam("digest", digest)
                    .get("/api/v1/versions")
                    .then()
                    .statusCode(200)
                    .extract()
                    .jsonPath();
            found[0] = page;
            return page.getInt("total") == 1 && state.equals(page.getString("items[0].state"));
        });
        return found[0].getMap("items[0]");
    }

    public static ModelApproved awaitApproved(String versionId) {
        return EventJson.read(awaitEvent(versionId, EventTypes.MODEL_APPROVED.type()).value(), ModelApproved.class);
    }

    public static ModelRevoked awaitRevoked(String versionId) {
        return EventJson.read(awaitEvent(versionId, EventTypes.MODEL_REVOKED.type()).value(), ModelRevoked.class);
    }

    /** The record of the first event of {@code type} about the version, with its headers. */
    public static ConsumerRecord<String, byte[]> awaitEvent(String versionId, String type) {
        return KafkaTestClient.shared()
                .await(Topics.APPROVAL_MODELS, r -> versionId.equals(r.key())
                        && type.equals(KafkaTestClient.header(r, CloudEventHeaders.TYPE)), TIMEOUT);
    }
}
