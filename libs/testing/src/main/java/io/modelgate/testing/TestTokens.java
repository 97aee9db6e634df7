package io.modelgate.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.Set;

import io.smallrye.jwt.build.Jwt;

/**
 * Mints signed JWTs for tests and the local stack, with a key pair made once per JVM, or kept in the directory named
 * by the system property {@code modelgate.tokens.keys} (the local stack's data directory), so that the stack, the demo
 * and a restarted stack all mint and verify with one key.
 */
public final class TestTokens {

    /** The issuer every Modelgate service expects by default ({@code mp.jwt.verify.issuer}). */
    public static final String ISSUER = "https://modelgate.local/issuer";

    /** A directory holding (or to hold) {@code jwt-private.pem} and {@code jwt-public.pem}. */
    public static final String KEYS_PROPERTY = "modelgate.tokens.keys";

    private static final KeyPair KEYS = load();

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

    private static KeyPair load() {
        String dir = System.getProperty(KEYS_PROPERTY);
        if (dir == null || dir.isBlank()) {
            return generate();
        }
        Path privateKey = Path.of(dir, "jwt-private.pem");
        Path publicKey = Path.of(dir, "jwt-public.pem");
        try {
            if (!Files.exists(privateKey) || !Files.exists(publicKey)) {
                KeyPair generated = generate();
                Files.createDirectories(publicKey.getParent());
                Files.writeString(publicKey, pem("PUBLIC KEY", generated.getPublic().getEncoded()));
                SecretFiles.write(privateKey, pem("PRIVATE KEY", generated.getPrivate().getEncoded()));
                return generated;
            }
            KeyFactory factory = KeyFactory.getInstance("RSA");
            return new KeyPair(factory.generatePublic(new X509EncodedKeySpec(der(Files.readString(publicKey)))),
                    factory.generatePrivate(new PKCS8EncodedKeySpec(der(Files.readString(privateKey)))));
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("Could not read or write the token keys in " + dir, e);
        }
    }

    private static byte[] der(String pem) {
        return Base64.getMimeDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", "").strip());
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
