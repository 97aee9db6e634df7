package io.modelgate.platform.security;

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

/**
 * Encrypts secrets at rest (registry credentials, target passwords) with AES-256-GCM under a deployment key. Each
 * ciphertext is bound to the id of the row that owns it (additional authenticated data), so a ciphertext copied onto
 * another row does not decrypt. Errors name the key setting and what to do, never anything about the secret.
 */
public final class SecretCipher {

    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final SecretKey key;
    private final String keySetting;
    private final SecureRandom random = new SecureRandom();

    /**
     * @param base64Key the key: base64 of 32 bytes, for example from {@code openssl rand -base64 32}
     * @param keySetting the setting that holds it, with its environment variable, for the error messages
     * @param purpose what the key protects, for the message when it is missing
     */
    public SecretCipher(String base64Key, String keySetting, String purpose) {
        this.keySetting = keySetting;
        this.key = parseKey(base64Key, keySetting, purpose);
    }

    private static SecretKey parseKey(String base64, String keySetting, String purpose) {
        if (base64 == null || base64.isBlank()) {
            throw new IllegalStateException(keySetting + " is not set: a base64-encoded 32-byte key is needed to"
                    + " encrypt " + purpose + ", for example from `openssl rand -base64 32`");
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(base64.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(keySetting + " is not valid base64");
        }
        if (bytes.length != 32) {
            throw new IllegalStateException(keySetting + " must decode to 32 bytes (AES-256), not " + bytes.length);
        }
        return new SecretKeySpec(bytes, "AES");
    }

    /** IV followed by the sealed secret, bound to {@code owner}. */
    public byte[] encrypt(UUID owner, String secret) {
        byte[] iv = new byte[IV_BYTES];
        random.nextBytes(iv);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, iv));
            cipher.updateAAD(aad(owner));
            byte[] sealed = cipher.doFinal(secret.getBytes(StandardCharsets.UTF_8));
            return ByteBuffer.allocate(iv.length + sealed.length).put(iv).put(sealed).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Could not encrypt a secret", e);
        }
    }

    /**
     * The secret {@link #encrypt} sealed for {@code owner}; when it cannot be read, an {@link IllegalStateException}
     * naming {@code what} (e.g. "the stored password of target 42") and what to do ({@code remedy}).
     */
    public String decrypt(UUID owner, byte[] stored, String what, String remedy) {
        if (stored.length < IV_BYTES + TAG_BITS / 8) {
            throw new IllegalStateException(capitalized(what) + " is truncated or corrupt (" + stored.length
                    + " bytes); " + remedy);
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, stored, 0, IV_BYTES));
            cipher.updateAAD(aad(owner));
            byte[] plain = cipher.doFinal(Arrays.copyOfRange(stored, IV_BYTES, stored.length));
            return new String(plain, StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(capitalized(what) + " does not decrypt with " + keySetting
                    + "; was the key rotated? " + remedy);
        }
    }

    private static String capitalized(String text) {
        return text.isEmpty() ? text : Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }

    private static byte[] aad(UUID owner) {
        return owner.toString().getBytes(StandardCharsets.UTF_8);
    }
}
