package io.modelgate.events;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonIgnore;

/**
 * An inference service became ready to take requests (or changed); produced by serving, consumed by
 * model-sync, which registers it in the AIDB model registry.
 *
 * @param serviceId {@code namespace/name} of the service; the Kafka key
 * @param kind in-cluster KServe or external provider
 * @param modelName the model's name in the Model Library
 * @param versionId id of the served model version; null for an external service
 * @param version the served version label; null for an external service
 * @param digest digest of the served image; null for an external service
 * @param functionTypes what the service can do
 * @param servedModelName the model name to send in OpenAI requests
 * @param runtime {@code vllm}, {@code tensorrt-llm}, {@code nim}, {@code custom} or {@code modelgate-proxy};
 *        null if unknown
 * @param provider for an external service: {@code openai}, {@code bedrock}, {@code nim} or
 *        {@code openai-compatible}; null otherwise
 * @param internalUrl base URL reachable from inside the cluster
 * @param externalUrl base URL reachable from outside the cluster; null if not exposed
 * @param openAiBasePath path of the OpenAI-compatible API below the URL, e.g. {@code /v1}
 */
public record ServiceRegistered(UUID eventId, Instant occurredAt, int schemaVersion, String serviceId,
        ServiceKind kind, String modelName, String versionId, String version, String digest,
        List<FunctionType> functionTypes, String servedModelName, String runtime, String provider,
        String internalUrl, String externalUrl, String openAiBasePath) implements ModelgateEvent {

    public static final int SCHEMA_VERSION = 1;

    public ServiceRegistered {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(occurredAt, "occurredAt");
        Values.requireSchemaVersion(schemaVersion, SCHEMA_VERSION);
        Objects.requireNonNull(serviceId, "serviceId");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(modelName, "modelName");
        if (digest != null) {
            ImageDescriptor.requireDigest(digest, "digest");
        }
        functionTypes = Values.list(functionTypes);
        Objects.requireNonNull(servedModelName, "servedModelName");
        Objects.requireNonNull(internalUrl, "internalUrl");
        Objects.requireNonNull(openAiBasePath, "openAiBasePath");
    }

    public static ServiceRegistered of(String serviceId, ServiceKind kind, String modelName, String versionId,
            String version, String digest, List<FunctionType> functionTypes, String servedModelName, String runtime,
            String provider, String internalUrl, String externalUrl, String openAiBasePath) {
        return new ServiceRegistered(UUID.randomUUID(), Instant.now(), SCHEMA_VERSION, serviceId, kind, modelName,
                versionId, version, digest, functionTypes, servedModelName, runtime, provider, internalUrl,
                externalUrl, openAiBasePath);
    }

    /** Keyed by service id, the same key as its deregistration, so the two stay in order. */
    @JsonIgnore
    @Override
    public String key() {
        return serviceId;
    }
}
