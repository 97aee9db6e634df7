package io.modelgate.testing;

import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import static org.assertj.core.api.Assertions.assertThat;

class TestTokensTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void tokenCarriesIssuerUserGroupsAndFutureExpiry() throws Exception {
        String token = TestTokens.forUser("alice", "model-admin", "model-viewer");

        String[] parts = token.split("\\.", -1);
        assertThat(parts).hasSize(3).allSatisfy(p -> assertThat(p).isNotEmpty().doesNotContain("=", "+", "/"));

        JsonNode header = JSON.readTree(Base64.getUrlDecoder().decode(parts[0]));
        assertThat(header.path("alg").asText()).isEqualTo("RS256");

        JsonNode payload = JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
        assertThat(payload.path("iss").asText()).isEqualTo(TestTokens.ISSUER);
        assertThat(payload.path("upn").asText()).isEqualTo("alice");
        assertThat(payload.path("sub").asText()).isEqualTo("alice");
        assertThat(texts(payload.path("groups"))).containsExactlyInAnyOrder("model-admin", "model-viewer");
        long now = Instant.now().getEpochSecond();
        assertThat(payload.path("exp").asLong()).isGreaterThan(now).isLessThanOrEqualTo(now + 3600 + 5);
        assertThat(payload.path("iat").asLong()).isBetween(now - 60, now + 5);
    }

    @Test
    void tokenWithoutRolesHasNoGroups() throws Exception {
        String token = TestTokens.forUser("bob");
        JsonNode payload = JSON.readTree(Base64.getUrlDecoder().decode(token.split("\\.")[1]));
        assertThat(payload.path("upn").asText()).isEqualTo("bob");
        assertThat(texts(payload.path("groups"))).isEmpty();
    }

    @Test
    void repeatedRolesAreAccepted() throws Exception {
        String token = TestTokens.forUser("carol", "model-viewer", "model-viewer");
        JsonNode payload = JSON.readTree(Base64.getUrlDecoder().decode(token.split("\\.")[1]));
        assertThat(texts(payload.path("groups"))).containsExactly("model-viewer");
    }

    @Test
    void signatureVerifiesWithThePublishedPublicKey() throws Exception {
        String token = TestTokens.forUser("alice", "model-admin");
        String[] parts = token.split("\\.");
        PublicKey key = publicKey(TestTokens.publicKeyPem());
        assertThat(key).isInstanceOf(RSAPublicKey.class);
        assertThat(((RSAPublicKey) key).getModulus().bitLength()).isEqualTo(2048);

        assertThat(verifies(key, parts[0] + "." + parts[1], parts[2])).isTrue();

        // The same signature must not cover a changed payload: the check above is not vacuous.
        String forged = Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(
                        new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                                .replace("\"alice\"", "\"mallory\"")
                                .getBytes(StandardCharsets.UTF_8));
        assertThat(forged).isNotEqualTo(parts[1]);
        assertThat(verifies(key, parts[0] + "." + forged, parts[2])).isFalse();
    }

    @Test
    void pemsAreWellFormedAndOfTheSameKeyPair() throws Exception {
        String publicPem = TestTokens.publicKeyPem();
        String privatePem = TestTokens.privateKeyPem();
        assertThat(publicPem).startsWith("-----BEGIN PUBLIC KEY-----\n").endsWith("-----END PUBLIC KEY-----\n");
        assertThat(privatePem).startsWith("-----BEGIN PRIVATE KEY-----\n").endsWith("-----END PRIVATE KEY-----\n");
        assertThat(publicPem.lines()).allSatisfy(l -> assertThat(l.length()).isLessThanOrEqualTo(64));
        assertThat(TestTokens.publicKeyPem()).isEqualTo(publicPem);

        var privateKey = KeyFactory.getInstance("RSA")
                .generatePrivate(
                        new java.security.spec.PKCS8EncodedKeySpec(der(privatePem)));
        Signature signer = Signature.getInstance("SHA256withRSA");
        signer.initSign(privateKey);
        byte[] data = "local stack demo".getBytes(StandardCharsets.UTF_8);
        signer.update(data);
        String signature = Base64.getUrlEncoder().withoutPadding().encodeToString(signer.sign());
        assertThat(verifies(publicKey(publicPem), "local stack demo", signature)).isTrue();
    }

    private static boolean verifies(PublicKey key, String signedPart, String signature) throws Exception {
        Signature verifier = Signature.getInstance("SHA256withRSA");
        verifier.initVerify(key);
        verifier.update(signedPart.getBytes(StandardCharsets.US_ASCII));
        return verifier.verify(Base64.getUrlDecoder().decode(signature));
    }

    private static PublicKey publicKey(String pem) throws Exception {
        return KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(der(pem)));
    }

    private static byte[] der(String pem) {
        String body = pem.replaceAll("-----(BEGIN|END) [A-Z ]+-----", "").replaceAll("\\s", "");
        return Base64.getDecoder().decode(body);
    }

    private static List<String> texts(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(n -> values.add(n.asText()));
        return values;
    }
}
