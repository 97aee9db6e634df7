package io.modelgate.registrysync.domain;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A registry registry-sync polls and accepts webhooks from; its credential is stored encrypted. */
@Entity
@Table(name = "registry_connection")
public class RegistryConnection {

    /** What the stored credential is. */
    public enum CredentialKind {
        /** username + password: Basic, or exchanged at the token endpoint. */
        PASSWORD,
        /** A bearer token sent as is. */
        TOKEN
    }

    @Id
    public UUID id;

    public String name;

    @Enumerated(EnumType.STRING)
    public ConnectionType type;

    @Column(name = "base_url")
    public String baseUrl;

    public String username;

    /** AES-GCM ciphertext of the password or token; never leaves the service. */
    public byte[] credential;

    @Enumerated(EnumType.STRING)
    @Column(name = "credential_kind")
    public CredentialKind credentialKind;

    @Column(name = "ca_certificate")
    public String caCertificate;

    @Column(name = "skip_tls_verify")
    public boolean skipTlsVerify;

    @Column(name = "plain_http")
    public boolean plainHttp;

    @Column(name = "poll_interval_secs")
    public long pollIntervalSeconds;

    public boolean enabled;

    @Column(name = "webhook_secret_hash")
    public byte[] webhookSecretHash;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "updated_at")
    public Instant updatedAt;

    /** Host and port as they appear in image references. */
    public String registryHost() {
        java.net.URI uri = java.net.URI.create(baseUrl);
        return uri.getPort() > 0 ? uri.getHost() + ":" + uri.getPort() : uri.getHost();
    }
}
