package io.modelgate.testing;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.Set;

import io.smallrye.jwt.build.Jwt;

/** Mints signed JWTs for tests and the local stack, with a key pair made once per JVM. */
public final class TestTokens {

    /** The issuer every Modelgate service expects by default ({@code mp.jwt.verify.issuer}). */
    public static final String ISSUER = "https://modelgate.local/issuer";

    private static final KeyPair KEYS = generate();

    private TestTokens() {
    }

    /** A bearer token for {@code user} holding {@code roles} (the {@code groups} claim), valid for an hour. */
    public static String forUser(String user, String... roles) {
        return Jwt.issuer(ISSUER)
                .upn(user)
                .subject(user)
                // Set.of would reject a role given twice; a caller repeating one still means that role.
                .groups(Set.copyOf(Arrays.asList(roles)))
                .expiresIn(3600)
                .sign(KEYS.getPrivate());
    }

    /** The PEM of the public key, for {@code mp.jwt.verify.publickey}. */
    public static String publicKeyPem() {
        return pem("PUBLIC KEY", KEYS.getPublic().getEncoded());
    }

    /** The PEM of the private key, for tools that mint tokens outside this JVM (the local stack's demo). */
    public static String privateKeyPem() {
        return pem("PRIVATE KEY", KEYS.getPrivate().getEncoded());
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[]{'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    private static KeyPair generate() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
