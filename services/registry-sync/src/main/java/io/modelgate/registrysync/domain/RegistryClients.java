package io.modelgate.registrysync.domain;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import io.modelgate.registrysync.client.RegistryClient;
import io.modelgate.registrysync.client.RegistryEndpoint;
import io.modelgate.registrysync.client.RegistryMetrics;
import io.modelgate.registrysync.config.RegistrySyncConfig;

/**
 * One client per connection, kept while the connection is unchanged: its token cache, keep-alive connections and
 * in-flight bound are shared by polls and webhook processing of that connection.
 */
@ApplicationScoped
public class RegistryClients {

    private record Entry(Instant version, RegistryClient client) {
    }

    private final Map<UUID, Entry> clients = new ConcurrentHashMap<>();
    private final CredentialCipher cipher;
    private final RegistrySyncConfig config;
    private final RegistryMetrics metrics;

    public RegistryClients(CredentialCipher cipher, RegistrySyncConfig config, RegistryMetrics metrics) {
        this.cipher = cipher;
        this.config = config;
        this.metrics = metrics;
    }

    public RegistryClient of(RegistryConnection connection) {
        Entry entry = clients.compute(connection.id, (id, existing) -> {
            if (existing != null && existing.version().equals(connection.updatedAt)) {
                return existing;
            }
            return new Entry(connection.updatedAt, new RegistryClient(endpoint(connection), config.client(), metrics));
        });
        return entry.client();
    }

    /** A client for settings not stored yet (a connection test); not cached. */
    public RegistryClient transientClient(RegistryEndpoint endpoint) {
        return new RegistryClient(endpoint, config.client(), metrics);
    }

    private RegistryEndpoint endpoint(RegistryConnection connection) {
        String secret = connection.credential == null ? null : cipher.decrypt(connection.id, connection.credential);
        String username = connection.credentialKind == RegistryConnection.CredentialKind.PASSWORD
                ? connection.username
                : null;
        return new RegistryEndpoint(connection.baseUrl, username, secret, connection.caCertificate,
                connection.skipTlsVerify);
    }

    public void forget(UUID connectionId) {
        clients.remove(connectionId);
    }
}
