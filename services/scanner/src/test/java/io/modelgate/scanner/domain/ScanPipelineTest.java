package io.modelgate.scanner.domain;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Predicate;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import io.modelgate.events.ApprovalDecision;
import io.modelgate.events.ApprovalMode;
import io.modelgate.events.DiscoveryMethod;
import io.modelgate.events.EventJson;
import io.modelgate.events.ImageDescriptor;
import io.modelgate.events.ModelApproved;
import io.modelgate.events.ModelRevoked;
import io.modelgate.events.Platform;
import io.modelgate.events.RegistryImageDiscovered;
import io.modelgate.events.ScanCompleted;
import io.modelgate.events.Topics;
import io.modelgate.events.Verdict;
import io.modelgate.platform.security.Roles;
import io.modelgate.scanner.client.trivy.TrivyClient;
import io.modelgate.scanner.client.trivy.TrivyReportParser;
import io.modelgate.scanner.client.trivy.TrivyStandIn;
import io.modelgate.scanner.client.trivy.TrivyStandInResource;
import io.modelgate.testing.KafkaTestClient;
import io.modelgate.testing.ModelgateTestResources;
import io.modelgate.testing.OciImages;
import io.modelgate.testing.TestTokens;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The whole pipeline on real Kafka and PostgreSQL with the Trivy stand-in: discovery, worker, Trivy, policy, stored
 * result, {@code ScanCompleted} through the outbox; the cache, rescans, failures and database updates.
 */
@QuarkusTest
@QuarkusTestResource(ModelgateTestResources.class)
@QuarkusTestResource(TrivyStandInResource.class)
public class ScanPipelineTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @ConfigProperty(name = "modelgate.scanner.trivy.path")
    Path trivy;

    @Inject
    DatabaseWatcher watcher;

    @Inject
    EntityManager entityManager;

    @Inject
    ScanService service;

    @Inject
    TrivyDatabase database;

    @Test
    void aDiscoveredImageIsScannedJudgedStoredAndAnnounced() {
        String digest = discover("registry.example.com", "models/debian-buster");

        JsonPath scan = awaitDone(digest);
        assertThat(scan.getString("verdict")).isEqualTo("FAIL");
        assertThat(scan.getList("reasons", String.class)).singleElement()
                .asString()
                .startsWith("CVE-2019-18224 in libidn2-0 2.0.5-1");
        assertThat(scan.getInt("counts.critical")).isEqualTo(1);
        assertThat(scan.getInt("counts.low")).isEqualTo(1);
        assertThat(scan.getList("findings")).hasSize(2);

        ScanCompleted event = awaitScanCompleted(digest, e -> true);
        assertThat(event.verdict()).isEqualTo(Verdict.FAIL);
        assertThat(event.reasons()).isEqualTo(scan.getList("reasons", String.class));
        assertThat(event.counts().critical()).isEqualTo(1);
        assertThat(event.counts().total()).isEqualTo(2);
        assertThat(event.fixableCount()).isEqualTo(1);
        assertThat(event.secretCount()).isZero();
        assertThat(event.rescan()).isFalse();
        assertThat(event.scanner().name()).isEqualTo("trivy");
        assertThat(event.scanner().version()).isEqualTo("0.58.1");
        assertThat(event.scanner().dbVersion()).startsWith("2:");
        assertThat(event.image().repository()).isEqualTo("models/debian-buster");
        assertThat(event.reportUrl()).endsWith("/api/v1/scans/" + digest + "/report");

        // Findings filtered by severity
        List<Map<String, Object>> critical = given().auth()
                .oauth2(TestTokens.forUser("vera", Roles.VIEWER))
                .queryParam("severity", "critical")
                .get("/api/v1/scans/" + digest)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("findings");
        assertThat(critical).singleElement().satisfies(f -> {
            assertThat(f).containsEntry("id", "CVE-2019-18224").containsEntry("severity", "CRITICAL");
            assertThat(f).containsEntry("fixedVersion", "2.0.5-1+deb10u1").containsEntry("cvss", 9.8f);
        });

        // The full report, as Trivy printed it
        String report = given().auth()
                .oauth2(TestTokens.forUser("alma", Roles.APPROVER))
                .get("/api/v1/scans/" + digest + "/report")
                .then()
                .statusCode(200)
                .contentType("application/json")
                .extract()
                .asString();
        assertThat(report).isEqualTo(new String(TrivyStandIn.fixture("debian-buster")));
        assertThat(TrivyStandIn.calls(trivy, digest)).isEqualTo(1);
    }

    @Test
    void everyScanCompletedCarriesTheDiscoveredImageUnchanged() {
        String digest = OciImages.digest(("described" + System.nanoTime()).getBytes());
        String registry = "registry.example.com";
        String repository = "models/alpine-310";
        ImageDescriptor image = new ImageDescriptor("conn-7", registry, repository, "3.10-q4", digest,
                ImageDescriptor.pinnedReference(registry, repository, digest),
                "application/vnd.oci.image.manifest.v1+json", new Platform("linux", "arm64", "v8"), 4_294_967_296L,
                Instant.parse("2026-11-20T08:15:30.123456789Z"),
                Map.of("org.opencontainers.image.title", "Alpine Model", "maintainer", "ml@example.com"),
                Map.of("io.modelgate.model.name", "alpine-chat", "io.modelgate.model.version", "3.10",
                        "io.modelgate.model.parameter-count", "8B", "io.modelgate.model.function-types",
                        "chat,embedding", "org.opencontainers.image.description",
                        "ünïcødé, \"quoted\"\nand two lines"));
        KafkaTestClient.shared()
                .sendEvent(RegistryImageDiscovered.of("test", image, DiscoveryMethod.WEBHOOK,
                        "rule-1", "all models"));

        ScanCompleted first = awaitScanCompleted(digest, e -> true);
        assertThat(first.verdict()).isEqualTo(Verdict.PASS);
        assertThat(first.image()).isEqualTo(image);

        // The same digest under another tag and repository: covered by the scan, its first description kept.
        ImageDescriptor elsewhere = new ImageDescriptor("conn-8", registry, "team-b/alpine", "latest", digest,
                ImageDescriptor.pinnedReference(registry, "team-b/alpine", digest), null, null, 0, null,
                Map.of("maintainer", "someone else"), Map.of("io.modelgate.model.name", "other"));
        KafkaTestClient.shared()
                .sendEvent(RegistryImageDiscovered.of("test", elsewhere, DiscoveryMethod.MANUAL,
                        null, null));
        await().atMost(WAIT)
                .until(() -> count("select count(*) from image_scan_repository where digest = '" + digest + "'") == 2);

        // A rescan answered from cache, then one that runs Trivy again (the stored result was made against another
        // database, as after an update).
        assertThat(rescan(digest, 200).getBoolean("fromCache")).isTrue();
        awaitScanCompleted(digest, ScanCompleted::rescan);
        update("update image_scan set db_version = 'older' where digest = '" + digest + "'");
        rescan(digest, 202);

        List<ScanCompleted> events = KafkaTestClient.shared()
                .awaitAll(Topics.SCANNER_SCANS, r -> digest.equals(r.key()), 3, WAIT)
                .stream()
                .map(r -> EventJson.read(r.value(), ScanCompleted.class))
                .toList();
        assertThat(events).extracting(ScanCompleted::rescan).containsExactly(false, true, true);
        assertThat(events).extracting(ScanCompleted::image).containsOnly(image);
        assertThat(TrivyStandIn.calls(trivy, digest)).isEqualTo(2);
    }

    @Test
    void aDescriptorStoredWithoutLabelsOrAnnotationsIsCompletedByTheNextDiscoveryOfItsDigest() {
        String digest = discover("registry.example.com", "models/npm");
        awaitScanCompleted(digest, e -> true);
        Map<String, String> annotations = Map.of("io.modelgate.model.name", "npm-model");
        Map<String, String> labels = Map.of("org.opencontainers.image.vendor", "example");
        ImageDescriptor again = new ImageDescriptor("conn-2", "registry.example.com", "mirror/npm", "2.0", digest,
                ImageDescriptor.pinnedReference("registry.example.com", "mirror/npm", digest),
                "application/vnd.oci.image.manifest.v1+json", new Platform("linux", "amd64", null), 1234,
                Instant.parse("2026-11-01T00:00:00Z"), labels, annotations);
        KafkaTestClient.shared()
                .sendEvent(RegistryImageDiscovered.of("test", again, DiscoveryMethod.POLL, null,
                        null));
        await().atMost(WAIT)
                .until(() -> count("select count(*) from image_scan where digest = '" + digest
                        + "' and image -> 'annotations' ->> 'io.modelgate.model.name' = 'npm-model'") == 1);

        assertThat(rescan(digest, 200).getBoolean("fromCache")).isTrue();
        ImageDescriptor image = awaitScanCompleted(digest, ScanCompleted::rescan).image();
        // Where and under which tag it was found first is kept; what belongs to the digest is taken.
        assertThat(image.repository()).isEqualTo("models/npm");
        assertThat(image.tag()).isEqualTo("1.0");
        assertThat(image.connectionId()).isEqualTo("conn-1");
        assertThat(image.annotations()).isEqualTo(annotations);
        assertThat(image.labels()).isEqualTo(labels);
        assertThat(image.platform()).isEqualTo(new Platform("linux", "amd64", null));
        assertThat(image.sizeBytes()).isEqualTo(1234);
        assertThat(image.createdAt()).isEqualTo(Instant.parse("2026-11-01T00:00:00Z"));
        assertThat(image.mediaType()).isEqualTo("application/vnd.oci.image.manifest.v1+json");
    }

    @Test
    void aRescanAgainstTheCurrentDatabaseIsAnsweredFromCacheAndJudgedByTheCurrentPolicy() {
        String digest = discover("registry.example.com", "models/alpine-310");
        assertThat(awaitDone(digest).getString("verdict")).isEqualTo("PASS");

        JsonPath cached = rescan(digest, 200);
        assertThat(cached.getBoolean("fromCache")).isTrue();
        assertThat(cached.getString("verdict")).isEqualTo("PASS");
        assertThat(awaitScanCompleted(digest, ScanCompleted::rescan).verdict()).isEqualTo(Verdict.PASS);

        setPolicy("LOW");
        try {
            JsonPath stricter = rescan(digest, 200);
            assertThat(stricter.getString("verdict")).isEqualTo("FAIL");
            assertThat(stricter.getList("reasons", String.class)).hasSize(2)
                    .anyMatch(r -> r.startsWith("CVE-2019-1549 "))
                    .anyMatch(r -> r.startsWith("CVE-2019-1551 "));
            awaitScanCompleted(digest, e -> e.rescan() && e.verdict() == Verdict.FAIL);
        } finally {
            setPolicy("HIGH");
        }
        // Answered three times, Trivy ran once.
        assertThat(TrivyStandIn.calls(trivy, digest)).isEqualTo(1);
    }

    @Test
    void whateverGoesWrongWithTrivyEndsInErrorWithTheReasonAndTheNextScanProceeds() {
        Map<String, String> expected = Map.of(
                "models/crash", "Trivy exited with code 2: panic: runtime error",
                "models/gone", "MANIFEST_UNKNOWN",
                "models/hang", "Trivy timed out after",
                "models/truncated", "Trivy printed an unreadable report",
                "models/garbage", "Trivy printed an unreadable report");
        Map<String, String> digests = new HashMap<>();
        expected.keySet().forEach(repository -> digests.put(repository, discover("registry.example.com", repository)));
        String leaky = discover("private.example.com", "models/leaky");
        // A registry value that real Trivy would read as a flag never reaches its command line.
        String flag = discover("--insecure", "models/npm");
        String next = discover("registry.example.com", "models/npm");

        expected.forEach((repository, reason) -> {
            JsonPath scan = awaitDone(digests.get(repository));
            assertThat(scan.getString("verdict")).as(repository).isEqualTo("ERROR");
            assertThat(scan.getList("reasons", String.class)).as(repository)
                    .singleElement()
                    .asString()
                    .contains(reason);
            assertThat(scan.getString("reportUrl")).as(repository).isNull();
        });
        ScanCompleted gone = awaitScanCompleted(digests.get("models/gone"), e -> true);
        assertThat(gone.verdict()).isEqualTo(Verdict.ERROR);
        assertThat(gone.reasons()).singleElement().asString().contains("MANIFEST_UNKNOWN");
        assertThat(gone.reportUrl()).isNull();

        JsonPath unauthorized = awaitDone(leaky);
        assertThat(unauthorized.getString("verdict")).isEqualTo("ERROR");
        assertThat(unauthorized.prettify()).contains("UNAUTHORIZED")
                .doesNotContain(TrivyStandInResource.PRIVATE_PASSWORD);

        JsonPath refused = awaitDone(flag);
        assertThat(refused.getString("verdict")).isEqualTo("ERROR");
        assertThat(refused.getList("reasons", String.class)).singleElement()
                .asString()
                .contains("not a valid OCI reference");
        assertThat(TrivyStandIn.calls(trivy, flag)).isZero();

        assertThat(awaitDone(next).getString("verdict")).isEqualTo("PASS");
    }

    @Test
    void aRepositoryExceptionAppliesWhenTheDigestWasAlsoDiscoveredInAMatchingRepository() {
        String digest = discover("registry.example.com", "models/debian-buster");
        assertThat(awaitDone(digest).getString("verdict")).isEqualTo("FAIL");
        discover("registry.example.com", "team-b/debian-buster", digest);
        await().atMost(WAIT)
                .until(() -> count("select count(*) from image_scan_repository where digest = '" + digest + "'") == 2);
        String exception = given().auth()
                .oauth2(TestTokens.forUser("ada", Roles.ADMIN))
                .contentType("application/json")
                .body(Map.of("cveId", "CVE-2019-18224", "repositoryPattern", "team-b/*", "reason", "not reachable",
                        "owner", "team-b", "expiresAt", Instant.now().plus(Duration.ofDays(1)).toString()))
                .post("/api/v1/policy/exceptions")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        try {
            JsonPath rescanned = rescan(digest, 200);
            assertThat(rescanned.getString("verdict")).isEqualTo("PASS");
            assertThat(rescanned.getList("reasons", String.class)).singleElement()
                    .asString()
                    .contains("accepted by exception for repositories team-b/*");
        } finally {
            given().auth()
                    .oauth2(TestTokens.forUser("ada", Roles.ADMIN))
                    .delete("/api/v1/policy/exceptions/" + exception)
                    .then()
                    .statusCode(204);
        }
    }

    @Test
    void aResultFromASupersededClaimIsDroppedSoTheScanIsAnnouncedOnce() throws Exception {
        String digest = OciImages.digest(("reclaimed" + System.nanoTime()).getBytes());
        ScanService.Claim first = running(digest, "models/alpine-310", 1, Instant.now());
        // The first worker's lease ran out and another worker claimed the scan under a new token.
        UUID second = UUID.randomUUID();
        update("update image_scan set claim_token = '" + second + "', attempts = 2 where digest = '" + digest + "'");
        byte[] report = TrivyStandIn.fixture("alpine-310");
        TrivyClient.Scan scan = new TrivyClient.Scan(report, TrivyReportParser.parse(report), Duration.ZERO);

        assertThat(service.complete(first, scan, database.current())).isEmpty();
        assertThat(service.fail(first, "late failure", database.current())).isEmpty();
        ScanService.Claim current = new ScanService.Claim(first.id(), second, digest, first.reference(),
                first.registry(), false, null);
        assertThat(service.complete(current, scan, database.current())).isPresent();
        // Finished: a repeated completion under the same claim is dropped too.
        assertThat(service.complete(current, scan, database.current())).isEmpty();

        assertThat(awaitScanCompleted(digest, e -> true).verdict()).isEqualTo(Verdict.PASS);
        assertThat(count("select count(*) from outbox_event where record_key = '" + digest + "'")).isEqualTo(1);
        assertThat(count("select attempts from image_scan where digest = '" + digest + "'")).isZero();
    }

    @Test
    void aScanReleasedAtShutdownIsQueuedAgainWithoutAVerdictAndThenScanned() {
        String digest = OciImages.digest(("released" + System.nanoTime()).getBytes());
        ScanService.Claim claim = running(digest, "models/npm", 1, Instant.now());

        assertThat(service.release(claim)).isPresent();
        // Released, the claim is no longer current: nothing of it can be recorded.
        assertThat(service.fail(claim, "interrupted", Optional.empty())).isEmpty();

        assertThat(awaitDone(digest).getString("verdict")).isEqualTo("PASS");
        ScanCompleted event = awaitScanCompleted(digest, e -> true);
        assertThat(event.verdict()).isEqualTo(Verdict.PASS);
        assertThat(count("select count(*) from outbox_event where record_key = '" + digest + "'")).isEqualTo(1);
        assertThat(TrivyStandIn.calls(trivy, digest)).isEqualTo(1);
    }

    @Test
    void aScanClaimedMaxAttemptsTimesWithoutAResultEndsInError() {
        String digest = OciImages.digest(("abandoned" + System.nanoTime()).getBytes());
        // Claimed three times, and its last worker died long ago: the lease has run out.
        running(digest, "models/npm", 3, Instant.now().minus(Duration.ofHours(1)));

        JsonPath scan = awaitDone(digest);
        assertThat(scan.getString("verdict")).isEqualTo("ERROR");
        assertThat(scan.getList("reasons", String.class)).singleElement()
                .asString()
                .startsWith("Scan abandoned after 3 attempts");
        assertThat(awaitScanCompleted(digest, e -> true).verdict()).isEqualTo(Verdict.ERROR);
        assertThat(TrivyStandIn.calls(trivy, digest)).isZero();
    }

    @Test
    void approvedDigestsAreRescannedWhenTheDatabaseUpdatesAndRevokedOnesAreNot() throws Exception {
        String approved = discover("registry.example.com", "models/pip");
        String other = discover("registry.example.com", "models/uv");
        awaitDone(approved);
        awaitDone(other);
        ModelApproved approval = approve(approved);
        KafkaTestClient.shared().sendEvent(approval);
        await().atMost(WAIT)
                .until(() -> count("select count(*) from approved_model where digest = '" + approved
                        + "'") == 1);
        String before = awaitScanCompleted(approved, e -> true).scanner().dbVersion();

        Files.writeString(trivy.resolveSibling("db-updated-at"), Instant.now().toString());
        assertThat(watcher.check()).isEqualTo(1);

        ScanCompleted rescan = awaitScanCompleted(approved, ScanCompleted::rescan);
        assertThat(rescan.scanner().dbVersion()).isNotEqualTo(before);
        assertThat(rescan.verdict()).isEqualTo(Verdict.PASS);
        assertThat(TrivyStandIn.calls(trivy, approved)).isEqualTo(2);
        assertThat(TrivyStandIn.calls(trivy, other)).isEqualTo(1);
        // Checked again against the same database: nothing more to rescan.
        awaitDone(approved);
        assertThat(watcher.check()).isZero();

        // An instance whose Trivy has an older database build does not queue what a newer one scanned.
        assertThat(service.queueApprovedRescans(Instant.parse("2026-11-24T06:00:00Z"))).isZero();

        KafkaTestClient.shared()
                .sendEvent(ModelRevoked.of(approval.modelId(), approval.modelName(),
                        approval.versionId(), approval.version(), approved, approval.image().reference(), "test",
                        "ada"));
        await().atMost(WAIT)
                .until(() -> count("select count(*) from approved_model where digest = '" + approved
                        + "'") == 0);
        Files.writeString(trivy.resolveSibling("db-updated-at"), Instant.now().plusSeconds(1).toString());
        assertThat(watcher.check()).isZero();
    }

    public static String discover(String registry, String repository) {
        return discover(registry, repository, OciImages.digest((repository + System.nanoTime()).getBytes()));
    }

    static String discover(String registry, String repository, String digest) {
        ImageDescriptor image = new ImageDescriptor("conn-1", registry, repository, "1.0", digest,
                ImageDescriptor.pinnedReference(registry, repository, digest), null, null, 0, null, null, null);
        KafkaTestClient.shared()
                .sendEvent(RegistryImageDiscovered.of("test", image, DiscoveryMethod.MANUAL, null,
                        null));
        return digest;
    }

    public static JsonPath awaitDone(String digest) {
        return await().atMost(WAIT)
                .until(() -> given().auth()
                        .oauth2(TestTokens.forUser("vera", Roles.VIEWER))
                        .get("/api/v1/scans/" + digest)
                        .then()
                        .extract()
                        .jsonPath(), json -> "DONE".equals(json.getString("status")));
    }

    static ScanCompleted awaitScanCompleted(String digest, Predicate<ScanCompleted> match) {
        ConsumerRecord<String, byte[]> record = KafkaTestClient.shared()
                .await(Topics.SCANNER_SCANS,
                        r -> digest.equals(r.key()) && match.test(EventJson.read(r.value(), ScanCompleted.class)),
                        WAIT);
        return EventJson.read(record.value(), ScanCompleted.class);
    }

    static JsonPath rescan(String digest, int status) {
        return given().auth()
                .oauth2(TestTokens.forUser("ada", Roles.ADMIN))
                .post("/api/v1/scans/" + digest + "/rescan")
                .then()
                .statusCode(status)
                .extract()
                .jsonPath();
    }

    private static void setPolicy(String maxSeverity) {
        given().auth()
                .oauth2(TestTokens.forUser("ada", Roles.ADMIN))
                .contentType("application/json")
                .body(Map.of("maxSeverity", maxSeverity, "ignoreUnfixed", false, "secretsFail", true))
                .put("/api/v1/policy")
                .then()
                .statusCode(200);
    }

    private static ModelApproved approve(String digest) {
        ImageDescriptor image = new ImageDescriptor("conn-1", "registry.example.com", "models/pip", "1.0", digest,
                ImageDescriptor.pinnedReference("registry.example.com", "models/pip", digest), null, null, 0, null,
                null, null);
        return ModelApproved.of("model-1", "pip-model", "version-" + System.nanoTime(), "1.0.0", image, List.of(),
                null, null, null, new ApprovalDecision(ApprovalMode.HUMAN, List.of("alma"), null, null));
    }

    /** A scan as a worker's claim leaves it: RUNNING since {@code startedAt} under a fresh token. */
    private ScanService.Claim running(String digest, String repository, int attempts, Instant startedAt) {
        ImageScan scan = new ImageScan();
        scan.id = UUID.randomUUID();
        scan.digest = digest;
        scan.registry = "registry.example.com";
        scan.repository = repository;
        scan.reference = ImageDescriptor.pinnedReference(scan.registry, repository, digest);
        scan.connectionId = "conn-1";
        scan.descriptor = new ImageDescriptor(scan.connectionId, scan.registry, repository, null, digest,
                scan.reference, null, null, 0, null, null, null);
        scan.status = ScanStatus.RUNNING;
        scan.requestedAt = startedAt;
        scan.startedAt = startedAt;
        scan.attempts = attempts;
        scan.claimToken = UUID.randomUUID();
        scan.discoveryEventId = UUID.randomUUID();
        QuarkusTransaction.requiringNew().run(() -> entityManager.persist(scan));
        return new ScanService.Claim(scan.id, scan.claimToken, digest, scan.reference, scan.registry, false,
                null);
    }

    private void update(String sql) {
        QuarkusTransaction.requiringNew().run(() -> entityManager.createNativeQuery(sql).executeUpdate());
    }

    private long count(String sql) {
        return QuarkusTransaction.requiringNew()
                .call(() -> ((Number) entityManager.createNativeQuery(sql).getSingleResult()).longValue());
    }
}
