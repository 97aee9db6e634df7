package io.modelgate.serving.domain;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import jakarta.transaction.Transactional.TxType;

import io.modelgate.events.FunctionType;
import io.modelgate.events.ServiceDeregistered;
import io.modelgate.events.ServiceKind;
import io.modelgate.events.ServiceRegistered;
import io.modelgate.events.Topics;
import io.modelgate.platform.outbox.Outbox;
import io.modelgate.serving.config.ServingConfig;
import io.modelgate.serving.persistence.ApprovedVersionRepository;

/**
 * Announces services to model-sync: {@code ServiceRegistered} when one turns Ready (or what it announced changes),
 * {@code ServiceDeregistered} when it leaves service. The announced state is stored on the row in the same
 * transaction, so an event goes out on a transition only, across resyncs and restarts. A deployment's announcements
 * continue the trace of its approval ({@link ApprovalTrace}).
 */
@ApplicationScoped
public class Registrations {

    private final Outbox outbox;
    private final ApprovalTrace trace;
    private final ApprovedVersionRepository versions;
    private final ServingConfig config;

    public Registrations(Outbox outbox, ApprovalTrace trace, ApprovedVersionRepository versions,
            ServingConfig config) {
        this.outbox = outbox;
        this.trace = trace;
        this.versions = versions;
        this.config = config;
    }

    /** Announces a Ready deployment unless the same was announced already; true if an event was written. */
    @Transactional(TxType.MANDATORY)
    public boolean registerDeployment(Deployment d, ApprovedVersion version, String digest, String internalUrl,
            String url) {
        String externalUrl = "external".equals(d.visibility) ? url : null;
        String basePath = openAiBasePath(d.runtime);
        String fingerprint = fingerprint(internalUrl, externalUrl, digest, version.versionId, d.runtime, basePath);
        if (d.state.registered && fingerprint.equals(d.state.registeredFingerprint)) {
            return false;
        }
        ServiceRegistered event = ServiceRegistered.of(d.serviceId(), ServiceKind.KSERVE, version.modelName,
                version.versionId, version.version, digest, version.functionTypeList(), d.name, d.runtime, null,
                internalUrl, externalUrl, basePath);
        trace.publish(version, Topics.SERVING_SERVICES, event.key(), event);
        mark(d, fingerprint);
        return true;
    }

    /** Announces a Ready external service unless the same was announced already; true if an event was written. */
    @Transactional(TxType.MANDATORY)
    public boolean registerExternal(ExternalService e, String internalUrl, String url) {
        String externalUrl = "external".equals(e.visibility) ? url : null;
        String fingerprint = fingerprint(internalUrl, externalUrl, e.provider, e.modelName, e.endpointUrl,
                e.functionTypes);
        if (e.state.registered && fingerprint.equals(e.state.registeredFingerprint)) {
            return false;
        }
        ServiceRegistered event = ServiceRegistered.of(e.serviceId(), ServiceKind.EXTERNAL, e.modelName, null, null,
                null, functionTypes(e.functionTypes), e.modelName, config.external().servingRuntime(), e.provider,
                internalUrl, externalUrl, "/v1");
        outbox.publish(Topics.SERVING_SERVICES, event.key(), event);
        mark(e, fingerprint);
        return true;
    }

    /** Announces that a registered service left service; nothing when it was never announced. */
    @Transactional(TxType.MANDATORY)
    public boolean deregister(ManagedService service, String reason) {
        if (!service.state.registered) {
            return false;
        }
        String versionId = service instanceof Deployment d ? d.versionId : null;
        String digest = service instanceof Deployment d ? d.digest : null;
        ServiceDeregistered event = ServiceDeregistered.of(service.serviceId(), service.kind(),
                service.announcedModelName(), versionId, digest, reason);
        if (versionId != null) {
            trace.publish(versions.findById(versionId), Topics.SERVING_SERVICES, event.key(), event);
        } else {
            // External services have no approval, so no image trace to continue.
            outbox.publish(Topics.SERVING_SERVICES, event.key(), event);
        }
        service.state.registered = false;
        service.state.registeredFingerprint = null;
        return true;
    }

    /** The OpenAI-compatible base path of a runtime's server, below the InferenceService URL. */
    public String openAiBasePath(String runtime) {
        return switch (runtime) {
            case "vllm" -> config.runtimes().vllm().openaiBasePath();
            case "tensorrt-llm" -> config.runtimes().tensorrtLlm().openaiBasePath();
            default -> config.runtimes().customOpenaiBasePath();
        };
    }

    static List<FunctionType> functionTypes(String csv) {
        if (csv == null || csv.isBlank()) {
            return List.of();
        }
        return Arrays.stream(csv.split(",")).map(FunctionType::valueOf).toList();
    }

    /** SHA-256 of what an announcement says, so any change in it announces again. */
    static String fingerprint(String... parts) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (String part : parts) {
                sha.update(String.valueOf(part).getBytes(StandardCharsets.UTF_8));
                sha.update((byte) 0);
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void mark(ManagedService service, String fingerprint) {
        service.state.registered = true;
        service.state.registeredFingerprint = fingerprint;
        service.state.registeredAt = Instant.now();
    }
}
