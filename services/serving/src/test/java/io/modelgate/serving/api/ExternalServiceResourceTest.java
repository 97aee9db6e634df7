package io.modelgate.serving.api;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.awaitility.Awaitility;
import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.modelgate.events.FunctionType;
import io.modelgate.events.ServiceKind;
import io.modelgate.events.ServiceRegistered;
import io.modelgate.platform.security.Roles;
import io.modelgate.serving.Fixtures;
import io.modelgate.serving.client.KServeObjects;
import io.modelgate.testing.FreePorts;
import io.modelgate.testing.KubernetesTestResource;
import io.modelgate.testing.ModelgateTestResources;
import io.modelgate.testing.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

import static io.modelgate.serving.Fixtures.NS;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

@QuarkusTest
@QuarkusTestResource(ModelgateTestResources.class)
@QuarkusTestResource(KubernetesTestResource.class)
class ExternalServiceResourceTest {

    static final String OPERATOR = DeploymentResourceTest.OPERATOR;
    static final List<String> LOG = new CopyOnWriteArrayList<>();
    static final Handler CAPTURE = new Handler() {
        @Override
        public void publish(LogRecord record) {
            StringBuilder line = new StringBuilder(record instanceof ExtLogRecord ext
                    ? ext.getFormattedMessage()
                    : String.valueOf(record.getMessage()));
            if (record.getThrown() != null) {
                StringWriter trace = new StringWriter();
                record.getThrown().printStackTrace(new PrintWriter(trace));
                line.append('\n').append(trace);
            }
            LOG.add(line.toString());
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    static ProviderStandIn provider;

    @BeforeAll
    static void start() {
        provider = new ProviderStandIn();
        Logger.getLogger("").addHandler(CAPTURE);
    }

    @AfterAll
    static void stop() {
        Logger.getLogger("").removeHandler(CAPTURE);
        provider.close();
    }

    @AfterEach
    void theKeysAppearOnlyInTheirSecrets() {
        Fixtures.assertEverythingWrittenIsValid();
        String everythingElse = String.join("\n", LOG) + "\n"
                + Serialization.asJson(Fixtures.kube()
                        .genericKubernetesResources(KServeObjects.INFERENCE_SERVICE)
                        .inAnyNamespace()
                        .list())
                + Serialization.asJson(Fixtures.kube()
                        .genericKubernetesResources(KServeObjects.SERVING_RUNTIME)
                        .inAnyNamespace()
                        .list())
                + String.join("\n", Fixtures.<String>sqlStrings("select payload from outbox_event"))
                + String.join("\n", Fixtures.<String>sqlStrings("select cast(e.* as text) from external_service e"));
        for (String key : List.of(ProviderStandIn.VALID_KEY, ProviderStandIn.EXHAUSTED_KEY,
                ProviderStandIn.WRONG_KEY)) {
            assertThat(everythingElse).doesNotContain(key);
        }
    }

    static JsonPath register(String name, String endpoint, String key, int status) {
        String body = given().auth()
                .oauth2(OPERATOR)
                .contentType(ContentType.JSON)
                .body(Map.of("name", name, "namespace", NS, "provider", "openai", "endpointUrl", endpoint,
                        "modelName", "gpt-4o", "apiVersion", "v1", "functionTypes", List.of("CHAT", "EMBEDDING"),
                        "apiKey", key))
                .post("/api/v1/external-services")
                .then()
                .statusCode(status)
                .extract()
                .asString();
        assertThat(body).doesNotContain(key);
        return JsonPath.from(body);
    }

    static JsonPath get(String serviceId) {
        String body = given().auth()
                .oauth2(TestTokens.forUser("vic", Roles.VIEWER))
                .get("/api/v1/external-services/" + serviceId)
                .then()
                .statusCode(200)
                .extract()
                .asString();
        return JsonPath.from(body);
    }

    @Test
    @SuppressWarnings("unchecked")
    void aRegisteredServiceRunsTheProxyWithItsKeyInASecretAndIsAnnouncedWhenReady() {
        String name = Fixtures.unique("openai");
        String serviceId = NS + "/" + name;
        JsonPath created = register(name, provider.url(), ProviderStandIn.VALID_KEY, 201);
        assertThat(created.getString("health")).isEqualTo("READY");
        assertThat(created.getString("runtime")).isEqualTo("modelgate-proxy");
        assertThat(provider.keysSeen).contains(ProviderStandIn.VALID_KEY);

        Secret secret = Fixtures.kube().secrets().inNamespace(NS).withName(name + "-provider-key").get();
        assertThat(new String(Base64.getDecoder().decode(secret.getData().get("api-key")), StandardCharsets.UTF_8))
                .isEqualTo(ProviderStandIn.VALID_KEY);

        GenericKubernetesResource isvc = Fixtures.isvc(NS, name);
        Map<String, Object> predictor = Fixtures.predictor(isvc);
        Map<String, Object> model = (Map<String, Object>) predictor.get("model");
        assertThat(model.get("runtime")).isEqualTo("modelgate-proxy");
        assertThat((List<Map<String, Object>>) model.get("env")).extracting(e -> e.get("name") + "=" + e.get("value"))
                .containsExactly("MODELGATE_PROXY_UPSTREAM_URL=" + provider.url(), "MODELGATE_PROXY_PROVIDER=openai",
                        "MODELGATE_PROXY_MODEL=gpt-4o");
        assertThat((List<Map<String, Object>>) model.get("volumeMounts")).anySatisfy(m -> assertThat(m)
                .containsEntry("mountPath", "/etc/modelgate/provider"));
        assertThat(Serialization.asJson(predictor.get("volumes"))).contains(name + "-provider-key");
        assertThat(Fixtures.kube()
                .genericKubernetesResources(KServeObjects.SERVING_RUNTIME)
                .inNamespace(NS)
                .withName("modelgate-proxy")
                .get()).isNotNull();

        Fixtures.markReady(NS, name);
        ServiceRegistered registered = Fixtures.awaitRegistered(serviceId, e -> true);
        assertThat(registered.kind()).isEqualTo(ServiceKind.EXTERNAL);
        assertThat(registered.provider()).isEqualTo("openai");
        assertThat(registered.runtime()).isEqualTo("modelgate-proxy");
        assertThat(registered.servedModelName()).isEqualTo("gpt-4o");
        assertThat(registered.functionTypes()).containsExactly(FunctionType.CHAT, FunctionType.EMBEDDING);
        assertThat(registered.openAiBasePath()).isEqualTo("/v1");
        assertThat(registered.digest()).isNull();

        // Deregistration warns, announces, and removes the proxy and the Secret.
        JsonPath gone = JsonPath.from(given().auth()
                .oauth2(OPERATOR)
                .delete("/api/v1/external-services/" + serviceId)
                .then()
                .statusCode(200)
                .extract()
                .asString());
        assertThat(gone.getString("warning")).contains("AIDB pipelines");
        assertThat(Fixtures.awaitDeregistered(serviceId).kind()).isEqualTo(ServiceKind.EXTERNAL);
        Awaitility.await()
                .atMost(Duration.ofSeconds(10))
                .until(() -> Fixtures.isvc(NS, name) == null
                        && Fixtures.kube().secrets().inNamespace(NS).withName(name + "-provider-key").get() == null);
        given().auth().oauth2(OPERATOR).get("/api/v1/external-services/" + serviceId).then().statusCode(404);
    }

    @Test
    void providerHealthSaysKeyInvalidQuotaExhaustedOrUnreachable() {
        String quota = Fixtures.unique("quota");
        assertThat(register(quota, provider.url(), ProviderStandIn.EXHAUSTED_KEY, 201).getString("healthMessage"))
                .isEqualTo("quota exhausted");

        String unreachable = Fixtures.unique("down");
        JsonPath down = register(unreachable, "http://127.0.0.1:" + FreePorts.next() + "/v1",
                ProviderStandIn.VALID_KEY, 201);
        assertThat(down.getString("health")).isEqualTo("FAILED");
        assertThat(down.getString("healthMessage")).isEqualTo("unreachable");

        // An edit with a wrong key: stored, checked, and reported.
        String name = Fixtures.unique("edit");
        register(name, provider.url(), ProviderStandIn.VALID_KEY, 201);
        String edited = given().auth()
                .oauth2(OPERATOR)
                .contentType(ContentType.JSON)
                .body(Map.of("provider", "openai-compatible", "endpointUrl", provider.url(), "modelName", "gpt-4o",
                        "apiKey", ProviderStandIn.WRONG_KEY))
                .put("/api/v1/external-services/" + NS + "/" + name)
                .then()
                .statusCode(200)
                .extract()
                .asString();
        assertThat(edited).doesNotContain(ProviderStandIn.WRONG_KEY);
        assertThat(JsonPath.from(edited).getString("health")).isEqualTo("FAILED");
        assertThat(JsonPath.from(edited).getString("healthMessage")).isEqualTo("key invalid");
        assertThat(JsonPath.from(edited).getInt("revision")).isEqualTo(2);

        // The check on demand (as on the schedule) reads the key back from the Secret.
        provider.keysSeen.clear();
        String checked = given().auth()
                .oauth2(OPERATOR)
                .post("/api/v1/external-services/" + NS + "/" + name
                        + "/health-check")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        assertThat(JsonPath.from(checked).getString("healthMessage")).isEqualTo("key invalid");
        assertThat(provider.keysSeen).containsExactly(ProviderStandIn.WRONG_KEY);
    }

    @Test
    void badRegistrationsAreRefused() {
        Map<String, Object> good = Map.of("name", Fixtures.unique("x"), "namespace", NS, "provider", "openai",
                "endpointUrl", provider.url(), "modelName", "gpt-4o", "apiKey", ProviderStandIn.VALID_KEY);
        for (Map.Entry<String, String> change : List.of(Map.entry("provider", "azure"),
                Map.entry("endpointUrl", "ftp://x"), Map.entry("apiKey", ""), Map.entry("modelName", ""),
                // A key with a line break could not go into the Authorization header: refused before any Secret.
                Map.entry("apiKey", "sk-first-line\nsecond-line"))) {
            Map<String, Object> body = new java.util.HashMap<>(good);
            body.put(change.getKey(), change.getValue());
            String answer = given().auth()
                    .oauth2(OPERATOR)
                    .contentType(ContentType.JSON)
                    .body(body)
                    .post("/api/v1/external-services")
                    .then()
                    .statusCode(400)
                    .extract()
                    .asString();
            assertThat(answer).doesNotContain(ProviderStandIn.VALID_KEY).doesNotContain("second-line");
        }
        register((String) good.get("name"), provider.url(), ProviderStandIn.VALID_KEY, 201);
        register((String) good.get("name"), provider.url(), ProviderStandIn.VALID_KEY, 409);
        given().auth()
                .oauth2(TestTokens.forUser("vic", Roles.VIEWER))
                .contentType(ContentType.JSON)
                .body(good)
                .post("/api/v1/external-services")
                .then()
                .statusCode(403);
    }
}
