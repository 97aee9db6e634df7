package io.modelgate.modelsync.domain;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** An AIDB target database whose model registry model-sync keeps in step with what is served. */
@Entity
@Table(name = "sync_target")
public class SyncTarget {

    @Id
    public UUID id;

    public String name;

    @Column(name = "jdbc_url")
    public String jdbcUrl;

    public String username;

    /** AES-GCM ciphertext of the password (see {@link CredentialCipher}); never leaves the service. */
    @Column(name = "password_cipher")
    public byte[] passwordCipher;

    @Enumerated(EnumType.STRING)
    public TargetLocation location;

    /** Whether the database can reach the platform's endpoints; an unreachable target is reported, not registered. */
    public boolean reachable;

    public boolean enabled;

    /**
     * Read from the target's catalog by a reconcile, or by the first event after the URL changed; null until then
     * (which is how the event path knows to read it). Reported only: it does not change what gets registered.
     */
    @Enumerated(EnumType.STRING)
    @Column(name = "credential_support")
    public CredentialSupport credentialSupport;

    @Column(name = "catalog_checked_at")
    public Instant catalogCheckedAt;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "updated_at")
    public Instant updatedAt;
}
