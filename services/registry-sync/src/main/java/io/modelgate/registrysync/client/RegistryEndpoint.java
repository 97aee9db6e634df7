package io.modelgate.registrysync.client;

/**
 * How to reach one registry: base URL, credentials (decrypted, in memory only) and TLS settings.
 *
 * @param username with {@code secret} a password; null when {@code secret} is a token or absent
 * @param secret password or bearer token; null for anonymous access
 */
public record RegistryEndpoint(String baseUrl, String username, String secret, String caCertificatePem,
        boolean skipTlsVerify) {

    /** Never prints the secret. */
    @Override
    public String toString() {
        return "RegistryEndpoint[" + baseUrl + ", user=" + username + ", secret=" + (secret == null ? "none" : "***")
                + "]";
    }
}
