package io.modelgate.registrysync.domain;

import java.net.URI;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import io.modelgate.platform.problem.Problem;
import io.modelgate.platform.problem.ProblemException;
import io.modelgate.registrysync.config.RegistrySyncConfig;
import io.modelgate.registrysync.persistence.ConnectionRepository;

/** Administers registry connections: validation, credential encryption, webhook secrets. */
@ApplicationScoped
public class Connections {

    /** What an administrator sets on a connection; {@code password}/{@code token} are write-only. */
    public record Settings(String name, ConnectionType type, String baseUrl, String username, String password,
            String token, String caCertificate, boolean skipTlsVerify, boolean plainHttp, Long pollIntervalSeconds,
            boolean enabled) {

        /** Never prints a credential. */
        @Override
        public String toString() {
            return "Settings[" + name + ", " + type + ", " + baseUrl + "]";
        }
    }

    /** A connection together with its webhook secret, which is shown only here, once. */
    public record WithSecret(RegistryConnection connection, String webhookSecret) {
    }

    private final ConnectionRepository connections;
    private final CredentialCipher cipher;
    private final RegistryClients clients;
    private final RegistrySyncConfig config;
    private final Webhooks webhooks;
    private final SecureRandom random = new SecureRandom();

    public Connections(ConnectionRepository connections, CredentialCipher cipher, RegistryClients clients,
            RegistrySyncConfig config, Webhooks webhooks) {
        this.connections = connections;
        this.cipher = cipher;
        this.clients = clients;
        this.config = config;
        this.webhooks = webhooks;
    }

    @Transactional
    public WithSecret create(Settings settings) {
        validate(settings, null, true);
        RegistryConnection connection = new RegistryConnection();
        connection.id = UUID.randomUUID();
        connection.createdAt = Instant.now();
        apply(connection, settings, true);
        String secret = newSecret();
        connection.webhookSecretHash = Webhooks.hash(secret);
        connections.persist(connection);
        return new WithSecret(connection, secret);
    }

    /** Replaces the settings; credentials given replace the stored ones, credentials omitted are kept. */
    @Transactional
    public RegistryConnection update(UUID id, Settings settings, boolean clearCredentials) {
        RegistryConnection connection = get(id);
        boolean newCredentials = settings.password() != null || settings.token() != null || clearCredentials;
        validate(settings, id, newCredentials);
        apply(connection, settings, newCredentials);
        clients.forget(id);
        return connection;
    }

    @Transactional
    public String rotateSecret(UUID id) {
        RegistryConnection connection = get(id);
        String secret = newSecret();
        connection.webhookSecretHash = Webhooks.hash(secret);
        connection.updatedAt = Instant.now();
        webhooks.evictSecret(id);
        return secret;
    }

    @Transactional
    public void delete(UUID id) {
        connections.delete(get(id));
        clients.forget(id);
        webhooks.evictSecret(id);
    }

    public RegistryConnection get(UUID id) {
        RegistryConnection connection = connections.findById(id);
        if (connection == null) {
            throw ProblemException.notFound("No registry connection " + id);
        }
        return connection;
    }

    private void apply(RegistryConnection connection, Settings settings, boolean newCredentials) {
        connection.name = settings.name().trim();
        connection.type = settings.type();
        connection.baseUrl = settings.baseUrl().trim().replaceAll("/+$", "");
        connection.caCertificate = blankToNull(settings.caCertificate());
        connection.skipTlsVerify = settings.skipTlsVerify();
        connection.plainHttp = settings.plainHttp();
        connection.pollIntervalSeconds = settings.pollIntervalSeconds() == null
                ? config.poll().defaultInterval().toSeconds()
                : settings.pollIntervalSeconds();
        connection.enabled = settings.enabled();
        connection.updatedAt = Instant.now();
        if (newCredentials) {
            if (settings.password() != null) {
                connection.username = settings.username();
                connection.credential = cipher.encrypt(connection.id, settings.password());
                connection.credentialKind = RegistryConnection.CredentialKind.PASSWORD;
            } else if (settings.token() != null) {
                connection.username = null;
                connection.credential = cipher.encrypt(connection.id, settings.token());
                connection.credentialKind = RegistryConnection.CredentialKind.TOKEN;
            } else {
                connection.username = null;
                connection.credential = null;
                connection.credentialKind = null;
            }
        } else if (connection.credentialKind == RegistryConnection.CredentialKind.PASSWORD
                && settings.username() != null) {
            connection.username = settings.username();
        }
    }

    private void validate(Settings settings, UUID id, boolean checkCredentials) {
        List<Problem.FieldError> errors = new ArrayList<>();
        if (connections.nameTaken(settings.name().trim(), id)) {
            throw ProblemException.conflict("A connection named " + settings.name() + " exists already");
        }
        URI uri = null;
        try {
            uri = URI.create(settings.baseUrl().trim());
            if (uri.getHost() == null || uri.getScheme() == null) {
                errors.add(new Problem.FieldError("baseUrl", "must be an absolute http(s) URL with a host"));
                uri = null;
            }
        } catch (IllegalArgumentException e) {
            errors.add(new Problem.FieldError("baseUrl", "is not a valid URL"));
        }
        if (uri != null) {
            if ("http".equalsIgnoreCase(uri.getScheme()) && !settings.plainHttp()) {
                errors.add(new Problem.FieldError("baseUrl",
                        "is plain HTTP: set plainHttp to true to allow it explicitly, or use https"));
            } else if (!"http".equalsIgnoreCase(uri.getScheme()) && !"https".equalsIgnoreCase(uri.getScheme())) {
                errors.add(new Problem.FieldError("baseUrl", "must use http or https"));
            }
        }
        if (settings.skipTlsVerify() && settings.caCertificate() != null && !settings.caCertificate().isBlank()) {
            errors.add(new Problem.FieldError("skipTlsVerify", "cannot be combined with caCertificate"));
        }
        if (settings.caCertificate() != null && !settings.caCertificate().isBlank()) {
            try {
                var certificates = java.security.cert.CertificateFactory.getInstance("X.509")
                        .generateCertificates(new java.io.ByteArrayInputStream(
                                settings.caCertificate().getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
                if (certificates.isEmpty()) {
                    errors.add(new Problem.FieldError("caCertificate", "holds no PEM certificate"));
                }
            } catch (java.security.cert.CertificateException e) {
                errors.add(new Problem.FieldError("caCertificate", "is not a PEM X.509 certificate"));
            }
        }
        if (checkCredentials) {
            if (settings.password() != null && settings.token() != null) {
                errors.add(new Problem.FieldError("credentials", "give username/password or a token, not both"));
            }
            if (settings.password() != null && (settings.username() == null || settings.username().isBlank())) {
                errors.add(new Problem.FieldError("credentials.username", "is required with a password"));
            }
        }
        Long interval = settings.pollIntervalSeconds();
        if (interval != null && interval != 0 && interval < config.poll().minInterval().toSeconds()) {
            errors.add(new Problem.FieldError("pollIntervalSeconds", "must be 0 (no polling) or at least "
                    + config.poll().minInterval().toSeconds()));
        }
        if (!errors.isEmpty()) {
            throw new ProblemException(400, "Bad Request", "The connection is invalid", errors);
        }
    }

    private String newSecret() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
