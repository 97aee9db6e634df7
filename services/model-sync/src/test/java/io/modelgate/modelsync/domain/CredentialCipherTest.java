package io.modelgate.modelsync.domain;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.modelgate.modelsync.config.ModelSyncConfig;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CredentialCipherTest {

    private static final String KEY = Base64.getEncoder().encodeToString(new byte[32]);

    @Test
    void roundTripsAndBindsTheCiphertextToItsTarget() {
        CredentialCipher cipher = new CredentialCipher(config(KEY));
        UUID target = UUID.randomUUID();
        byte[] sealed = cipher.encrypt(target, "hunter2");

        assertThat(new String(sealed, StandardCharsets.ISO_8859_1)).doesNotContain("hunter2");
        assertThat(cipher.decrypt(target, sealed)).isEqualTo("hunter2");
        assertThat(cipher.encrypt(target, "hunter2")).isNotEqualTo(sealed);
        assertThatThrownBy(() -> cipher.decrypt(UUID.randomUUID(), sealed))
                .hasMessageContaining("does not decrypt")
                .hasMessageNotContaining("hunter2");
    }

    @Test
    void aTruncatedCiphertextIsAClearIllegalStateNotAnAbortedPass() {
        CredentialCipher cipher = new CredentialCipher(config(KEY));
        UUID target = UUID.randomUUID();
        for (byte[] stored : new byte[][]{new byte[0], new byte[5], new byte[12], new byte[27]}) {
            assertThatThrownBy(() -> cipher.decrypt(target, stored))
                    .isExactlyInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("truncated or corrupt")
                    .hasMessageContaining("set the password again");
        }
        byte[] sealed = cipher.encrypt(target, "hunter2");
        byte[] cut = java.util.Arrays.copyOf(sealed, sealed.length - 1);
        assertThatThrownBy(() -> cipher.decrypt(target, cut)).isExactlyInstanceOf(IllegalStateException.class);
    }

    @Test
    void aMissingOrMalformedKeyRefusesToStartWithAClearMessage() {
        assertThatThrownBy(() -> new CredentialCipher(config(null)))
                .hasMessageContaining("modelgate.model-sync.credentials-key")
                .hasMessageContaining("MODELGATE_MODEL_SYNC_CREDENTIALS_KEY");
        assertThatThrownBy(() -> new CredentialCipher(config("not base64!")))
                .hasMessageContaining("not valid base64");
        assertThatThrownBy(() -> new CredentialCipher(config(Base64.getEncoder().encodeToString(new byte[16]))))
                .hasMessageContaining("32 bytes");
    }

    private static ModelSyncConfig config(String key) {
        return new ModelSyncConfig() {
            @Override
            public Optional<String> credentialsKey() {
                return Optional.ofNullable(key);
            }

            @Override
            public java.time.Duration historyRetention() {
                throw new UnsupportedOperationException();
            }

            @Override
            public Reconcile reconcile() {
                throw new UnsupportedOperationException();
            }

            @Override
            public Target target() {
                throw new UnsupportedOperationException();
            }

            @Override
            public Event event() {
                throw new UnsupportedOperationException();
            }
        };
    }
}
