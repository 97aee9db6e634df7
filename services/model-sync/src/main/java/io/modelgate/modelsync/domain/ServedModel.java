package io.modelgate.modelsync.domain;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A service serving has registered: the desired state model-sync applies to every target. */
@Entity
@Table(name = "served_model")
public class ServedModel {

    @Id
    public UUID id;

    /** Unique: one row per service, kept after deregistration. */
    @Column(name = "service_id")
    public String serviceId;

    @Column(name = "aidb_name")
    public String aidbName;

    /** False once deregistered; the row stays so that an older registration arriving late is recognised as stale. */
    public boolean active;

    @Column(name = "model_name")
    public String modelName;

    @Column(name = "version_id")
    public String versionId;

    /** Comma-separated {@code FunctionType} names, in the order serving sent them. */
    @Column(name = "function_types")
    public String functionTypes;

    @Column(name = "served_model_name")
    public String servedModelName;

    public String runtime;

    public String provider;

    @Column(name = "internal_url")
    public String internalUrl;

    @Column(name = "open_ai_base_path")
    public String openAiBasePath;

    /** When the last event applied to this service happened; an older event is stale and ignored. */
    @Column(name = "last_event_at")
    public Instant lastEventAt;

    @Column(name = "updated_at")
    public Instant updatedAt;
}
