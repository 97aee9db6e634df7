package io.modelgate.modelsync.domain;

import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.modelgate.modelsync.config.ModelSyncConfig;
import io.modelgate.platform.security.SecretCipher;
import io.quarkus.runtime.StartupEvent;

/**
 * Encrypts target passwords at rest under the deployment's key ({@link SecretCipher}: AES-256-GCM, each ciphertext
 * bound to its target's id).
 */
@ApplicationScoped
public class CredentialCipher {

    static final String KEY_PROPERTY = "modelgate.model-sync.credentials-key";

    private final SecretCipher cipher;

    public CredentialCipher(ModelSyncConfig config) {
        this.cipher = new SecretCipher(config.credentialsKey().orElse(null),
                KEY_PROPERTY + " (env MODELGATE_MODEL_SYNC_CREDENTIALS_KEY)",
                "target credentials");
    }

    /** Forces the key check at start: a service that cannot store or read credentials must not start. */
    void onStart(@Observes StartupEvent event) {
        // The constructor has validated the key; observing the event instantiates the bean eagerly.
    }

    public byte[] encrypt(UUID targetId, String secret) {
        return cipher.encrypt(targetId, secret);
    }

    /** The secret; an {@link IllegalStateException} saying what to do when the stored value cannot be read. */
    public String decrypt(UUID targetId, byte[] stored) {
        return cipher.decrypt(targetId, stored, "the stored password of target " + targetId, "set the password again.");
    }
}
