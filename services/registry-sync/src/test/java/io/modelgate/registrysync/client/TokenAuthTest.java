package io.modelgate.registrysync.client;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.modelgate.events.RegistryImageDiscovered;
import io.modelgate.registrysync.SyncTestSupport;
import io.modelgate.testing.FreePorts;
import io.modelgate.testing.ModelgateTestResources;
import io.modelgate.testing.OciImages;
import io.modelgate.testing.RegistryServer;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.smallrye.jwt.build.Jwt;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bearer token auth against a real distribution registry: the test runs its own token issuer (standing in for the
 * IdP a registry trusts), which signs RS256 tokens whose {@code x5c} certificate is the registry's rootcertbundle.
 */
@QuarkusTest
@QuarkusTestResource(ModelgateTestResources.class)
class TokenAuthTest {

    private static final String SERVICE = "modelgate-test-registry";
    private static final String ISSUER = "modelgate-test-issuer";

    private static HttpServer issuer;
    private static RegistryServer registry;
    private static PrivateKey key;
    private static X509Certificate certificate;
    private static final AtomicInteger ISSUED = new AtomicInteger();
    private static final List<String> SCOPES = new ArrayList<>();
    private static OciImages.Pushed pushed;

    @BeforeAll
    static void start() throws Exception {
        Path dir = Files.createTempDirectory("token-issuer");
        Path keystore = dir.resolve("issuer.p12");
        Process keytool = new ProcessBuilder("keytool", "-genkeypair", "-keyalg", "RSA", "-keysize", "2048", "-alias",
                "issuer", "-dname", "CN=" + ISSUER, "-validity", "2", "-keystore", keystore.toString(), "-storetype",
                "PKCS12", "-storepass", "changeit", "-keypass", "changeit").redirectErrorStream(true).start();
        assertThat(keytool.waitFor()).isZero();
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            store.load(in, "changeit".toCharArray());
        }
        key = (PrivateKey) store.getKey("issuer", "changeit".toCharArray());
        certificate = (X509Certificate) store.getCertificate("issuer");
        Path bundle = dir.resolve("root.pem");
        Files.writeString(bundle, "-----BEGIN CERTIFICATE-----\n"
                + Base64.getMimeEncoder(64, new byte[]{'\n'}).encodeToString(certificate.getEncoded())
                + "\n-----END CERTIFICATE-----\n");

        issuer = HttpServer.create(new InetSocketAddress("127.0.0.1", FreePorts.next()), 0);
        issuer.createContext("/token", TokenAuthTest::token);
        issuer.start();
        String realm = "http://127.0.0.1:" + issuer.getAddress().getPort() + "/token";

        // Images are pushed while the storage is served without auth, then served with token auth.
        Path storage = dir.resolve("storage");
        try (RegistryServer open = RegistryServer.builder().storage(storage).start()) {
            pushed = OciImages.anonymous(open.url())
                    .push("secure/gemma", "2.0.0", "gemma", Map.of(), Map.of("io.modelgate.model.name", "gemma"));
        }
        registry = RegistryServer.builder().storage(storage).tokenAuth(realm, SERVICE, ISSUER, bundle).start();
    }

    @AfterAll
    static void stop() {
        if (registry != null) {
            registry.close();
        }
        if (issuer != null) {
            issuer.stop(0);
        }
    }

    /** Issues a token for the requested scopes to user "robot" with password "robot-pass"; anyone else gets 401. */
    private static void token(HttpExchange exchange) throws IOException {
        String expected = "Basic " + Base64.getEncoder().encodeToString("robot:robot-pass".getBytes());
        if (!expected.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
            exchange.sendResponseHeaders(401, -1);
            exchange.close();
            return;
        }
        List<Map<String, Object>> access = new ArrayList<>();
        String query = exchange.getRequestURI().getRawQuery();
        for (String param : query == null ? new String[0] : query.split("&")) {
            if (param.startsWith("scope=")) {
                String scope = URLDecoder.decode(param.substring(6), StandardCharsets.UTF_8);
                synchronized (SCOPES) {
                    SCOPES.add(scope);
                }
                String[] parts = scope.split(":");
                access.add(Map.of("type", parts[0], "name", parts[1], "actions",
                        List.of(parts[2].split(","))));
            }
        }
        String jwt = Jwt.issuer(ISSUER)
                .subject("robot")
                .audience(SERVICE)
                .claim("jti", UUID.randomUUID().toString())
                .claim("access", access)
                .expiresIn(300)
                .jws()
                .chain(certificate)
                .sign(key);
        ISSUED.incrementAndGet();
        byte[] body = ("{\"token\":\"" + jwt + "\",\"expires_in\":300}").getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }

    @Test
    void aPollThroughBearerTokenAuthAnnouncesTheImageAndReusesTokens() {
        var connection = SyncTestSupport.connection("token-" + System.nanoTime(), registry.url(),
                Map.of("type", "GENERIC_V2_TOKEN", "credentials", Map.of("username", "robot", "password",
                        "robot-pass")));
        SyncTestSupport.rule(connection.id(), Map.of("name", "gemma", "repositoryMatch", "GLOB", "repository",
                "secure/*", "tagFilter", "SEMVER", "tagValue", "^2"));

        JsonPath run = SyncTestSupport.syncAndWait(connection.id());
        assertThat(run.getList("messages", String.class)).isEmpty();
        assertThat(run.getString("status")).isEqualTo("SUCCEEDED");
        assertThat(run.getInt("newImages")).isEqualTo(1);
        RegistryImageDiscovered event = SyncTestSupport.events(connection.id(), 1).get(0);
        assertThat(event.image().digest()).isEqualTo(pushed.digest());
        assertThat(SCOPES).contains("registry:catalog:*", "repository:secure/gemma:pull");

        // A second run reuses the cached tokens (valid for 300 s, refreshed at 80 %).
        int issued = ISSUED.get();
        assertThat(SyncTestSupport.syncAndWait(connection.id()).getString("status")).isEqualTo("SUCCEEDED");
        assertThat(ISSUED.get()).isEqualTo(issued);
    }

    @Test
    void aTokenEndpointThatRefusesTheCredentialsFailsTheRun() {
        var connection = SyncTestSupport.connection("token-bad-" + System.nanoTime(), registry.url(),
                Map.of("credentials", Map.of("username", "robot", "password", "wrong")));
        SyncTestSupport.rule(connection.id(), Map.of("name", "all", "repositoryMatch", "GLOB", "repository", "**"));
        JsonPath run = SyncTestSupport.syncAndWait(connection.id());
        assertThat(run.getString("status")).isEqualTo("FAILED");
        assertThat(run.getList("messages", String.class)).anyMatch(m -> m.contains("token endpoint answered 401"))
                .noneMatch(m -> m.contains("wrong"));
    }
}
