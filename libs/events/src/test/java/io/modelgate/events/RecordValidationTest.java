package io.modelgate.events;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Compact constructors reject invalid events at the producer, before they reach the outbox. */
class RecordValidationTest {

    private static final UUID ID = UUID.randomUUID();
    private static final Instant NOW = Instant.now();

    @Test
    void missingEnvelopeFieldsAreNamed() {
        ImageDescriptor image = SampleEvents.image();
        assertThatNullPointerException()
                .isThrownBy(() -> new RegistryImageDiscovered(null, NOW, 1, null, image, DiscoveryMethod.POLL, null,
                        null))
                .withMessage("eventId");
        assertThatNullPointerException()
                .isThrownBy(() -> new RegistryImageDiscovered(ID, null, 1, null, image, DiscoveryMethod.POLL, null,
                        null))
                .withMessage("occurredAt");
    }

    @Test
    void missingRequiredFieldsAreNamed() {
        assertThatNullPointerException()
                .isThrownBy(() -> RegistryImageDiscovered.of("c", null, DiscoveryMethod.POLL, null, null))
                .withMessage("image");
        assertThatNullPointerException()
                .isThrownBy(() -> ScanCompleted.of("scan-1", SampleEvents.image(), new ScannerInfo("trivy", "0.62.1",
                        null, null), null, SeverityCounts.none(), 0, 0, null, false, null, NOW))
                .withMessage("verdict");
        assertThatNullPointerException()
                .isThrownBy(() -> ModelApproved.of("m", "llama", "v", "1.0.0", SampleEvents.image(), null, null, null,
                        null, null))
                .withMessage("approval");
        assertThatNullPointerException()
                .isThrownBy(() -> ModelRevoked.of("m", "llama", "v", "1.0.0", SampleEvents.DIGEST,
                        SampleEvents.REFERENCE, "reason", null))
                .withMessage("revokedBy");
        assertThatNullPointerException()
                .isThrownBy(() -> ServiceRegistered.of("ns/name", ServiceKind.KSERVE, "llama", null, null, null, null,
                        "llama", "vllm", null, "http://name.ns.svc", null, null))
                .withMessage("openAiBasePath");
        assertThatNullPointerException()
                .isThrownBy(() -> ServiceDeregistered.of("ns/name", null, "llama", null, null, "deleted"))
                .withMessage("kind");
    }

    @Test
    void missingRequiredImageFieldIsNamed() {
        assertThatNullPointerException()
                .isThrownBy(
                        () -> new ImageDescriptor("c", null, "repo", null, SampleEvents.DIGEST, "ref", null, null, 0,
                                null, null, null))
                .withMessage("registry");
        assertThatNullPointerException()
                .isThrownBy(() -> new ImageDescriptor("c", "r", "repo", null, null, "ref", null, null, 0, null, null,
                        null))
                .withMessage("digest");
    }

    @Test
    void badDigestIsRejected() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new ImageDescriptor("c", "r", "repo", null, "sha256", "ref", null, null, 0, null,
                        null, null))
                .withMessageContaining("digest");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> ModelRevoked.of("m", "llama", "v", "1.0.0", "SHA256:ABC", "ref", "reason", "alice"));
        assertThatIllegalArgumentException()
                .isThrownBy(() -> ServiceDeregistered.of("ns/name", ServiceKind.KSERVE, "llama", "v", "sha256:", "x"));
        assertThatIllegalArgumentException()
                .isThrownBy(() -> ImageDescriptor.pinnedReference("r", "repo", "latest"));
    }

    @Test
    void digestGrammar() {
        assertThat(ImageDescriptor.isValidDigest(SampleEvents.DIGEST)).isTrue();
        assertThat(ImageDescriptor.isValidDigest("sha512+b64u:LCa0a2j_xo_5m0U8HTBBNBNCLXBkg7-g-YpeiGJm564")).isTrue();
        assertThat(ImageDescriptor.isValidDigest("sha256:abc def")).isFalse();
        assertThat(ImageDescriptor.isValidDigest(":abc")).isFalse();
        assertThat(ImageDescriptor.isValidDigest(null)).isFalse();
    }

    @Test
    void optionalDigestMayBeAbsent() {
        ServiceDeregistered event = ServiceDeregistered.of("ns/gpt-4o", ServiceKind.EXTERNAL, "gpt-4o", null, null,
                "deleted");
        assertThat(event.digest()).isNull();
    }

    @Test
    void otherSchemaVersionIsRejected() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new ModelRevoked(ID, NOW, 2, "m", "llama", "v", "1.0.0", SampleEvents.DIGEST, "ref",
                        "reason", "alice"))
                .withMessageContaining("schemaVersion");
    }

    @Test
    void negativeCountsAreRejected() {
        assertThatIllegalArgumentException().isThrownBy(() -> new SeverityCounts(0, -1, 0, 0, 0));
        assertThatIllegalArgumentException()
                .isThrownBy(() -> ScanCompleted.of("s", SampleEvents.image(), new ScannerInfo("trivy", "1", null, null),
                        Verdict.PASS, SeverityCounts.none(), -1, 0, null, false, null, NOW));
    }

    @Test
    void collectionsAreCopiedAndImmutable() {
        List<FunctionType> types = new ArrayList<>(List.of(FunctionType.CHAT));
        Map<String, String> labels = new HashMap<>(Map.of("a", "b"));
        ImageDescriptor image = new ImageDescriptor("c", "r", "repo", null, SampleEvents.DIGEST, "ref", null, null, 0,
                null, labels, null);
        ModelApproved event = ModelApproved.of("m", "llama", "v", "1.0.0", image, types, null, null, null,
                new ApprovalDecision(ApprovalMode.POLICY, null, "rule", null));

        types.add(FunctionType.EMBEDDING);
        labels.put("c", "d");

        assertThat(event.functionTypes()).containsExactly(FunctionType.CHAT);
        assertThat(event.image().labels()).containsOnlyKeys("a");
        assertThat(event.image().annotations()).isEmpty();
        assertThat(event.approval().approvedBy()).isEmpty();
        assertThatThrownBy(() -> event.functionTypes().add(FunctionType.OCR))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> event.image().labels().put("x", "y"))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void nullCollectionsBecomeEmpty() {
        ScanCompleted scan = (ScanCompleted) SampleEvents.minimal(ScanCompleted.class);
        ServiceRegistered service = (ServiceRegistered) SampleEvents.minimal(ServiceRegistered.class);
        ModelMetadata metadata = new ModelMetadata(null, null, null, null, null, null);

        assertThat(scan.reasons()).isEmpty();
        assertThat(service.functionTypes()).isEmpty();
        assertThat(metadata.performance()).isEmpty();
    }

    @Test
    void ofFactoriesFillTheEnvelope() {
        Instant before = Instant.now();
        ModelRevoked first = ModelRevoked.of("m", "llama", "v", "1.0.0", SampleEvents.DIGEST, "ref", "r", "alice");
        ModelRevoked second = ModelRevoked.of("m", "llama", "v", "1.0.0", SampleEvents.DIGEST, "ref", "r", "alice");

        assertThat(first.eventId()).isNotNull().isNotEqualTo(second.eventId());
        assertThat(first.occurredAt()).isBetween(before, Instant.now().plus(1, ChronoUnit.SECONDS));
        assertThat(first.schemaVersion()).isEqualTo(ModelRevoked.SCHEMA_VERSION).isEqualTo(1);
    }

    @Test
    void keysFollowTheArchitecture() {
        assertThat(SampleEvents.registryImageDiscovered().key()).isEqualTo(SampleEvents.DIGEST);
        assertThat(SampleEvents.scanCompleted().key()).isEqualTo(SampleEvents.DIGEST);
        assertThat(SampleEvents.modelApproved().key()).isEqualTo(SampleEvents.VERSION_ID);
        // A revocation must share its approval's key so the two are never reordered.
        assertThat(SampleEvents.modelRevoked().key()).isEqualTo(SampleEvents.modelApproved().key());
        assertThat(SampleEvents.serviceRegistered().key()).isEqualTo(SampleEvents.SERVICE_ID);
        assertThat(SampleEvents.serviceDeregistered().key()).isEqualTo(SampleEvents.serviceRegistered().key());
    }

    @Test
    void scanSummaryIsDerivedFromTheScan() {
        ScanCompleted scan = SampleEvents.scanCompleted();

        assertThat(scan.summary()).isEqualTo(new ScanSummary("scan-7f3a9c", Verdict.PASS,
                new SeverityCounts(0, 0, 3, 12, 1), 9, 0, scan.scannedAt(), "0.62.1", "2"));
    }

    @Test
    void severityCounts() {
        assertThat(SeverityCounts.none().total()).isZero();
        assertThat(new SeverityCounts(1, 2, 3, 4, 5).total()).isEqualTo(15);
    }

    @Test
    void pinnedReference() {
        assertThat(ImageDescriptor.pinnedReference(SampleEvents.REGISTRY, SampleEvents.REPOSITORY,
                SampleEvents.DIGEST)).isEqualTo(
                        "registry.example.com:5000/models/llama-3.1-8b-instruct@" + SampleEvents.DIGEST);
    }

    @Test
    void platformValueAndParse() {
        assertThat(new Platform("linux", "amd64", null).value()).isEqualTo("linux/amd64");
        assertThat(new Platform("linux", "arm64", "v8").value()).isEqualTo("linux/arm64/v8");
        assertThat(Platform.parse("linux/arm64/v8")).isEqualTo(new Platform("linux", "arm64", "v8"));
        assertThat(Platform.parse("linux/amd64")).isEqualTo(new Platform("linux", "amd64", null));
        for (String bad : List.of("linux", "linux/", "/amd64", "linux/arm64/v8/x", "linux//v8")) {
            assertThatIllegalArgumentException().as(bad).isThrownBy(() -> Platform.parse(bad));
        }
    }
}
