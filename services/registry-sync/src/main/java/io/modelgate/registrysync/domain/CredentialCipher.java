package io.modelgate.registrysync.domain;

import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.modelgate.platform.security.SecretCipher;
import io.modelgate.registrysync.config.RegistrySyncConfig;
import io.quarkus.runtime.StartupEvent;

/**
 * Encrypts registry passwords and tokens at rest under the deployment's key ({@link SecretCipher}: AES-256-GCM,
 * each ciphertext bound to its connection's id).
 */
@ApplicationScoped
public class CredentialCipher {

    static final String KEY_PROPERTY = "modelgate.registry-sync.credentials-key";

    private final SecretCipher cipher;

    public CredentialCipher(RegistrySyncConfig config) {
        this.cipher = new SecretCipher(config.credentialsKey().orElse(null),
                KEY_PROPERTY + " (env MODELGATE_REGISTRY_SYNC_CREDENTIALS_KEY)",
                "registry credentials");
    }

    /** Forces the key check at start: a service that cannot store or read credentials must not start. */
    void onStart(@Observes StartupEvent event) {
        // The constructor has validated the key; observing the event instantiates the bean eagerly.
    }

    public byte[] encrypt(UUID connectionId, String secret) {
        return cipher.encrypt(connectionId, secret);
    }

    /** The secret; an {@link IllegalStateException} saying what to do when the stored value cannot be read. */
    public String decrypt(UUID connectionId, byte[] stored) {
        return cipher.decrypt(connectionId, stored, "the stored credential of connection " + connectionId,
                "set the credentials again.");
    }
}
