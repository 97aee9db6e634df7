package io.modelgate.events;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Test fixtures: one fully populated and one minimal (required fields only) sample of every event. */
final class SampleEvents {

    static final String REGISTRY = "registry.example.com:5000";
    static final String REPOSITORY = "models/llama-3.1-8b-instruct";
    static final String DIGEST = "sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
    static final String REFERENCE = REGISTRY + "/" + REPOSITORY + "@" + DIGEST;
    static final String MODEL_ID = "5b0d4c1e-2f6a-4f2e-9d63-0f1c2a7e8b90";
    static final String VERSION_ID = "c7e3a1d2-8b4f-4c6e-a0d9-3e2f1b5a6c78";
    static final String SERVICE_ID = "models/llama-3-1-8b-instruct";

    // Nanosecond precision on purpose: the round trip must not truncate timestamps.
    private static final Instant OCCURRED_AT = Instant.parse("2025-05-02T09:20:00.123456789Z");
    private static final Instant SCANNED_AT = Instant.parse("2025-05-02T09:19:41.5Z");

    private SampleEvents() {
    }

    static ModelgateEvent full(EventType<?> type) {
        return full(type.javaType());
    }

    static ModelgateEvent minimal(EventType<?> type) {
        return minimal(type.javaType());
    }

    static ModelgateEvent full(Class<? extends ModelgateEvent> javaType) {
        if (javaType == RegistryImageDiscovered.class) {
            return registryImageDiscovered();
        } else if (javaType == ScanCompleted.class) {
            return scanCompleted();
        } else if (javaType == ModelApproved.class) {
            return modelApproved();
        } else if (javaType == ModelRevoked.class) {
            return modelRevoked();
        } else if (javaType == ServiceRegistered.class) {
            return serviceRegistered();
        } else if (javaType == ServiceDeregistered.class) {
            return serviceDeregistered();
        }
        throw new IllegalArgumentException("no sample for " + javaType);
    }

    static ModelgateEvent minimal(Class<? extends ModelgateEvent> javaType) {
        UUID id = UUID.fromString("00000000-0000-4000-8000-000000000001");
        int v = 1;
        if (javaType == RegistryImageDiscovered.class) {
            return new RegistryImageDiscovered(id, OCCURRED_AT, v, null, minimalImage(), DiscoveryMethod.POLL, null,
                    null);
        } else if (javaType == ScanCompleted.class) {
            return new ScanCompleted(id, OCCURRED_AT, v, "scan-1", minimalImage(),
                    new ScannerInfo("trivy", "0.62.1", null, null), Verdict.PASS, SeverityCounts.none(), 0, 0, null,
                    false, null, SCANNED_AT);
        } else if (javaType == ModelApproved.class) {
            return new ModelApproved(id, OCCURRED_AT, v, MODEL_ID, "llama-3.1-8b-instruct", VERSION_ID, "1.0.0",
                    minimalImage(), null, null, null, null,
                    new ApprovalDecision(ApprovalMode.POLICY, null, null, null));
        } else if (javaType == ModelRevoked.class) {
            return new ModelRevoked(id, OCCURRED_AT, v, MODEL_ID, "llama-3.1-8b-instruct", VERSION_ID, "1.0.0", DIGEST,
                    REFERENCE, "license withdrawn", "alice");
        } else if (javaType == ServiceRegistered.class) {
            return new ServiceRegistered(id, OCCURRED_AT, v, "models/gpt-4o", ServiceKind.EXTERNAL, "gpt-4o", null,
                    null, null, null, "gpt-4o", null, null, "http://gpt-4o.models.svc.cluster.local", null, "/v1");
        } else if (javaType == ServiceDeregistered.class) {
            return new ServiceDeregistered(id, OCCURRED_AT, v, "models/gpt-4o", ServiceKind.EXTERNAL, "gpt-4o", null,
                    null, "deleted by operator");
        }
        throw new IllegalArgumentException("no sample for " + javaType);
    }

    static ImageDescriptor image() {
        return new ImageDescriptor("conn-acme-registry", REGISTRY, REPOSITORY, "1.0.0", DIGEST,
                ImageDescriptor.pinnedReference(REGISTRY, REPOSITORY, DIGEST),
                "application/vnd.oci.image.manifest.v1+json",
                new Platform("linux", "arm64", "v8"), 16_842_913_792L, Instant.parse("2025-04-30T17:02:11Z"),
                Map.of("org.opencontainers.image.title", "Llama 3.1 8B Instruct", "org.opencontainers.image.version",
                        "1.0.0"),
                Map.of("org.opencontainers.image.source", "https://github.com/example/llama-serving"));
    }

    static ImageDescriptor minimalImage() {
        return new ImageDescriptor("conn-acme-registry", REGISTRY, REPOSITORY, null, DIGEST, REFERENCE, null, null, 0,
                null, null, null);
    }

    static RegistryImageDiscovered registryImageDiscovered() {
        return new RegistryImageDiscovered(UUID.fromString("0b6f3e4a-1c2d-4e5f-8a9b-0c1d2e3f4a5b"), OCCURRED_AT, 1,
                "ACME internal registry", image(), DiscoveryMethod.WEBHOOK, "rule-llama", "Llama models");
    }

    static ScanCompleted scanCompleted() {
        return new ScanCompleted(UUID.fromString("1c7a4f5b-2d3e-4f6a-9b0c-1d2e3f4a5b6c"), OCCURRED_AT, 1,
                "scan-7f3a9c", image(),
                new ScannerInfo("trivy", "0.62.1", "2", Instant.parse("2025-05-02T06:00:00Z")), Verdict.PASS,
                new SeverityCounts(0, 0, 3, 12, 1), 9, 0, List.of("3 medium vulnerabilities within policy"), true,
                "https://scanner.modelgate.example.com/api/scans/scan-7f3a9c/report", SCANNED_AT);
    }

    static ModelApproved modelApproved() {
        return new ModelApproved(UUID.fromString("2d8b5a6c-3e4f-4a7b-8c1d-2e3f4a5b6c7d"), OCCURRED_AT, 1, MODEL_ID,
                "llama-3.1-8b-instruct", VERSION_ID, "1.0.0", image(),
                List.of(FunctionType.CHAT, FunctionType.COMPLETION),
                new ModelMetadata(8_030_000_000L, 131_072, "bfloat16", "fp8", "llama3.1",
                        Map.of("tokensPerSecond", "1450", "p95LatencyMs", "180")),
                new ResourceRequirements(1, "nvidia-l4", "24Gi", "4", "32Gi"), scanCompleted().summary(),
                new ApprovalDecision(ApprovalMode.HUMAN, List.of("alice", "bob"), "llama-family-auto",
                        "Approved for the support chatbot"));
    }

    static ModelRevoked modelRevoked() {
        return new ModelRevoked(UUID.fromString("3e9c6b7d-4f5a-4b8c-9d2e-3f4a5b6c7d8e"), OCCURRED_AT, 1, MODEL_ID,
                "llama-3.1-8b-instruct", VERSION_ID, "1.0.0", DIGEST, REFERENCE, "CVE-2025-0001 in the runtime",
                "alice");
    }

    static ServiceRegistered serviceRegistered() {
        return new ServiceRegistered(UUID.fromString("4fad7c8e-5a6b-4c9d-8e3f-4a5b6c7d8e9f"), OCCURRED_AT, 1,
                SERVICE_ID, ServiceKind.KSERVE, "llama-3.1-8b-instruct", VERSION_ID, "1.0.0", DIGEST,
                List.of(FunctionType.CHAT, FunctionType.COMPLETION), "llama-3.1-8b-instruct", "vllm",
                "openai-compatible",
                "http://llama-3-1-8b-instruct-predictor.models.svc.cluster.local",
                "https://llama-3-1-8b-instruct.models.example.com", "/openai/v1");
    }

    static ServiceDeregistered serviceDeregistered() {
        return new ServiceDeregistered(UUID.fromString("5abe8d9f-6b7c-4dae-9f4a-5b6c7d8e9fa0"), OCCURRED_AT, 1,
                SERVICE_ID, ServiceKind.KSERVE, "llama-3.1-8b-instruct", VERSION_ID, DIGEST, "model version revoked");
    }
}
