package io.modelgate.registrysync.domain;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.UUID;

import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.modelgate.registrysync.config.RegistrySyncConfig;
import io.quarkus.runtime.StartupEvent;

/**
 * Encrypts registry passwords and tokens at rest with AES-256-GCM under the deployment's key. Each ciphertext is bound to its
 * connection's id (additional authenticated data), so a ciphertext copied onto another row does not decrypt. The
 * scheme, key format and messages are model-sync's CredentialCipher, copied: services share no domain code.
 */
@ApplicationScoped
public class CredentialCipher {

    static final String KEY_PROPERTY = "modelgate.registry-sync.credentials-key";
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final SecretKey key;
    private final SecureRandom random = new SecureRandom();

    public CredentialCipher(RegistrySyncConfig config) {
        this.key = parseKey(config.credentialsKey().orElse(null));
    }

    /** Forces the key check at start: a service that cannot store or read credentials must not start. */
    void onStart(@Observes StartupEvent event) {
        // The constructor has validated the key; observing the event instantiates the bean eagerly.
    }

    static SecretKey parseKey(String base64) {
        if (base64 == null || base64.isBlank()) {
            throw new IllegalStateException(KEY_PROPERTY + " (env MODELGATE_REGISTRY_SYNC_CREDENTIALS_KEY) is not set:"
                    + " registry-sync needs a base64-encoded 32-byte key to encrypt registry credentials, for example"
                    + " from `openssl rand -base64 32`");
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(base64.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(KEY_PROPERTY + " is not valid base64");
        }
        if (bytes.length != 32) {
            throw new IllegalStateException(KEY_PROPERTY + " must decode to 32 bytes (AES-256), not " + bytes.length);
        }
        return new SecretKeySpec(bytes, "AES");
    }

    public byte[] encrypt(UUID connectionId, String secret) {
        byte[] iv = new byte[IV_BYTES];
        random.nextBytes(iv);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, iv));
            cipher.updateAAD(aad(connectionId));
            byte[] sealed = cipher.doFinal(secret.getBytes(StandardCharsets.UTF_8));
            return ByteBuffer.allocate(iv.length + sealed.length).put(iv).put(sealed).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Could not encrypt the registry credential", e);
        }
    }

    /** The secret; an {@link IllegalStateException} saying what to do when the stored value cannot be read. */
    public String decrypt(UUID connectionId, byte[] stored) {
        if (stored.length < IV_BYTES + TAG_BITS / 8) {
            throw new IllegalStateException(
                    "The stored credential of connection " + connectionId + " is truncated or corrupt ("
                            + stored.length + " bytes); set the credentials again.");
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, stored, 0, IV_BYTES));
            cipher.updateAAD(aad(connectionId));
            byte[] plain = cipher.doFinal(Arrays.copyOfRange(stored, IV_BYTES, stored.length));
            return new String(plain, StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            // Say which key is wrong, never anything about the secret itself.
            throw new IllegalStateException(
                    "The stored credential of connection " + connectionId + " does not decrypt with "
                            + KEY_PROPERTY + "; was the key rotated? Set the credentials again.");
        }
    }

    private static byte[] aad(UUID connectionId) {
        return connectionId.toString().getBytes(StandardCharsets.UTF_8);
    }
}
