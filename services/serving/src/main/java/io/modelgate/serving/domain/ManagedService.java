package io.modelgate.serving.domain;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Embedded;
import jakarta.persistence.Id;
import jakarta.persistence.MappedSuperclass;
import jakarta.persistence.Version;

import io.modelgate.events.ServiceKind;

/**
 * What deployments and external services share: one InferenceService by a stable {@code namespace/name}, a desired
 * spec revision the writer brings the cluster to, and the observed state.
 */
@MappedSuperclass
public abstract class ManagedService {

    @Id
    public UUID id;

    public String namespace;

    public String name;

    /** Set when deletion was asked for; the row goes once the InferenceService is gone. */
    public boolean deleting;

    /** Bumped on every change of the desired InferenceService. */
    @Column(name = "spec_revision")
    public long specRevision;

    /** The revision last written to the cluster; behind {@link #specRevision} means a write is pending. */
    @Column(name = "applied_revision")
    public long appliedRevision;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "created_by")
    public String createdBy;

    @Column(name = "updated_at")
    public Instant updatedAt;

    @Column(name = "updated_by")
    public String updatedBy;

    @Embedded
    public ServiceState state = new ServiceState();

    /** Optimistic lock: the API, the consumer and the status watch all change these rows. */
    @Version
    @Column(name = "row_version")
    public long rowVersion;

    public String serviceId() {
        return namespace + "/" + name;
    }

    public abstract ServiceKind kind();

    /** The model name announced in events. */
    public abstract String announcedModelName();

    public boolean writePending() {
        return deleting || appliedRevision < specRevision;
    }
}
