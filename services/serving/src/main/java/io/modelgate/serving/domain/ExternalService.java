package io.modelgate.serving.domain;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Table;

import io.modelgate.events.ServiceKind;

/**
 * An external provider's model reached through the managed proxy, deployed as an InferenceService with the
 * {@code modelgate-proxy} runtime. The provider key lives only in the Secret {@link #secretName}.
 */
@Entity
@Table(name = "external_service")
public class ExternalService extends ManagedService {

    /** {@code openai}, {@code bedrock}, {@code nim} or {@code openai-compatible}. */
    public String provider;

    @Column(name = "endpoint_url")
    public String endpointUrl;

    @Column(name = "model_name")
    public String modelName;

    @Column(name = "api_version")
    public String apiVersion;

    /** Comma-separated function types, announced so model-sync picks the AIDB provider. */
    @Column(name = "function_types")
    public String functionTypes;

    @Column(name = "secret_name")
    public String secretName;

    /** {@code internal} or {@code external}. */
    public String visibility;

    @Enumerated(EnumType.STRING)
    public Health health = Health.UNKNOWN;

    @Column(name = "health_message")
    public String healthMessage;

    @Column(name = "health_checked_at")
    public Instant healthCheckedAt;

    @Override
    public ServiceKind kind() {
        return ServiceKind.EXTERNAL;
    }

    @Override
    public String announcedModelName() {
        return modelName;
    }
}
