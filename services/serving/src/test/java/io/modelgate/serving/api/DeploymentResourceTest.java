package io.modelgate.serving.api;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.modelgate.events.FunctionType;
import io.modelgate.events.ModelApproved;
import io.modelgate.events.ResourceRequirements;
import io.modelgate.events.ServiceDeregistered;
import io.modelgate.events.ServiceKind;
import io.modelgate.events.ServiceRegistered;
import io.modelgate.platform.security.Roles;
import io.modelgate.serving.Fixtures;
import io.modelgate.serving.client.KServeObjects;
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
import static org.hamcrest.Matchers.equalTo;

@QuarkusTest
@QuarkusTestResource(ModelgateTestResources.class)
@QuarkusTestResource(KubernetesTestResource.class)
class DeploymentResourceTest {

    static final String OPERATOR = TestTokens.forUser("olga", Roles.OPERATOR);
    static final ResourceRequirements L4 = new ResourceRequirements(1, "nvidia-l4", "24Gi", "4", "32Gi");

    @AfterEach
    void everythingWrittenIsValid() {
        Fixtures.assertEverythingWrittenIsValid();
    }

    static JsonPath deploy(Map<String, Object> body, int status) {
        return given().auth()
                .oauth2(OPERATOR)
                .contentType(ContentType.JSON)
                .body(body)
                .post("/api/v1/deployments")
                .then()
                .statusCode(status)
                .extract()
                .jsonPath();
    }

    static JsonPath get(String serviceId) {
        return given().auth()
                .oauth2(TestTokens.forUser("vic", Roles.VIEWER))
                .get("/api/v1/deployments/" + serviceId)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
    }

    @Test
    @SuppressWarnings("unchecked")
    void anApprovedVersionIsDeployedPinnedByDigestAndAnnouncedOnceWhenReady() {
        ModelApproved approved = Fixtures.approve("llama", L4);
        String name = Fixtures.unique("llama");
        String serviceId = NS + "/" + name;

        JsonPath created = deploy(Map.of("name", name, "namespace", NS, "model",
                Map.of("versionId", approved.versionId()), "runtime", "vllm"), 201);
        assertThat(created.getString("serviceId")).isEqualTo(serviceId);
        assertThat(created.getString("model.digest")).isEqualTo(approved.image().digest());
        assertThat(created.getString("status.phase")).isEqualTo("PENDING");
        assertThat(created.getBoolean("status.kubernetes.writePending")).isFalse();
        // Resources default to the version's requirements.
        assertThat(created.getInt("resources.gpuCount")).isEqualTo(1);
        assertThat(created.getString("resources.memory")).isEqualTo("32Gi");

        // Written before the answer, by stable name, pinned by digest, linked to model and version.
        GenericKubernetesResource isvc = Fixtures.isvc(NS, name);
        assertThat(isvc).isNotNull();
        Map<String, String> labels = isvc.getMetadata().getLabels();
        assertThat(labels).containsEntry("app.kubernetes.io/managed-by", "modelgate")
                .containsEntry(KServeObjects.LABEL_VERSION_ID, approved.versionId())
                .containsEntry(KServeObjects.LABEL_MODEL, "llama")
                .containsEntry(KServeObjects.LABEL_DIGEST, approved.image().digest().substring(7, 70));
        assertThat(isvc.getMetadata().getAnnotations()).containsEntry("serving.kserve.io/deploymentMode",
                "RawDeployment")
                .containsEntry("security.opendatahub.io/enable-auth", "true")
                .containsEntry(KServeObjects.ANNOTATION_DIGEST, approved.image().digest());
        Map<String, Object> predictor = Fixtures.predictor(isvc);
        Map<String, Object> model = (Map<String, Object>) predictor.get("model");
        assertThat(model.get("storageUri")).isEqualTo("oci://" + approved.image().reference());
        assertThat(model.get("runtime")).isEqualTo("kserve-vllmserver");
        assertThat((Map<String, Object>) model.get("modelFormat")).containsEntry("name", "vLLM");
        Map<String, Object> resources = (Map<String, Object>) model.get("resources");
        assertThat((Map<String, Object>) resources.get("limits")).containsEntry("nvidia.com/gpu", "1")
                .containsEntry("memory", "32Gi")
                .containsEntry("cpu", "4");
        assertThat((Map<String, Object>) predictor.get("nodeSelector")).containsEntry("nvidia.com/gpu.product",
                "nvidia-l4");
        assertThat((List<Map<String, Object>>) predictor.get("tolerations")).singleElement()
                .satisfies(t -> assertThat(t).containsEntry("key", "nvidia.com/gpu"));

        // The controller reports Ready: announced with both URLs, the OpenAI path and the function types.
        Fixtures.markReady(NS, name);
        ServiceRegistered registered = Fixtures.awaitRegistered(serviceId, e -> true);
        assertThat(registered.kind()).isEqualTo(ServiceKind.KSERVE);
        assertThat(registered.digest()).isEqualTo(approved.image().digest());
        assertThat(registered.versionId()).isEqualTo(approved.versionId());
        assertThat(registered.version()).isEqualTo("1.0.0");
        assertThat(registered.modelName()).isEqualTo("llama");
        assertThat(registered.functionTypes()).containsExactly(FunctionType.CHAT, FunctionType.COMPLETION);
        assertThat(registered.internalUrl()).isEqualTo("http://" + name + "-predictor." + NS + ".svc.cluster.local");
        assertThat(registered.externalUrl()).isNull();
        assertThat(registered.openAiBasePath()).isEqualTo("/v1");
        assertThat(registered.servedModelName()).isEqualTo(name);
        assertThat(registered.runtime()).isEqualTo("vllm");
        Awaitility.await()
                .atMost(Duration.ofSeconds(10))
                .until(() -> get(serviceId).getString("status.phase")
                        .equals("READY"));
        JsonPath ready = get(serviceId);
        assertThat(ready.getBoolean("status.registered")).isTrue();
        assertThat(ready.getInt("status.replicas")).isEqualTo(1);
        assertThat(ready.getString("status.url")).isEqualTo("https://" + name + "-" + NS + ".apps.example.com");

        // The same status again, and a full resync as after a restart: still exactly one announcement.
        Fixtures.markReady(NS, name);
        restartWatcher();
        assertThat(Fixtures.outboxPayloads(serviceId)).hasSize(1);
    }

    @Test
    void aModelLoadFailureIsShownWithReasonAndMessage() {
        ModelApproved approved = Fixtures.approve("mistral", null);
        String name = Fixtures.unique("mistral");
        deploy(Map.of("name", name, "namespace", NS, "model", Map.of("digest", approved.image().digest()),
                "runtime", "vllm", "resources", Map.of("cpu", "2", "memory", "8Gi")), 201);

        Fixtures.markFailed(NS, name, "ModelLoadFailed", "CUDA out of memory while loading weights");
        Awaitility.await()
                .atMost(Duration.ofSeconds(10))
                .until(() -> get(NS + "/" + name).getString("status.phase")
                        .equals("FAILED"));
        JsonPath failed = get(NS + "/" + name);
        assertThat(failed.getString("status.reason")).isEqualTo("ModelLoadFailed");
        assertThat(failed.getString("status.lastFailure.reason")).isEqualTo("ModelLoadFailed");
        assertThat(failed.getString("status.lastFailure.message")).contains("CUDA out of memory");
        assertThat(failed.getBoolean("status.registered")).isFalse();
        assertThat(Fixtures.outboxPayloads(NS + "/" + name)).isEmpty();

        JsonPath overview = given().auth()
                .oauth2(TestTokens.forUser("vic", Roles.VIEWER))
                .get("/api/v1/status")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(overview.getString("find { it.serviceId == '" + NS + "/" + name + "' }.status.lastFailure.reason"))
                .isEqualTo("ModelLoadFailed");
    }

    @Test
    @SuppressWarnings("unchecked")
    void aRolloutToANewVersionIsAnnouncedAgainAndADeleteDeregisters() {
        ModelApproved v1 = Fixtures.approve("qwen", null);
        ModelApproved v2 = Fixtures.approve("qwen", null);
        String name = Fixtures.unique("qwen");
        String serviceId = NS + "/" + name;
        deploy(Map.of("name", name, "namespace", NS, "model", Map.of("versionId", v1.versionId()), "runtime",
                "vllm", "deploymentMode", "Serverless", "scaling", Map.of("minReplicas", 0, "maxReplicas", 3,
                        "scaleMetric", "concurrency", "scaleTarget", 4),
                "endpoint", Map.of("visibility", "external")), 201);
        Fixtures.markReady(NS, name);
        assertThat(Fixtures.awaitRegistered(serviceId, e -> true).externalUrl()).startsWith("https://");
        GenericKubernetesResource isvc = Fixtures.isvc(NS, name);
        assertThat(isvc.getMetadata().getLabels()).containsEntry("networking.kserve.io/visibility", "exposed");
        assertThat(Fixtures.predictor(isvc)).containsEntry("minReplicas", 0)
                .containsEntry("scaleMetric",
                        "concurrency");

        given().auth()
                .oauth2(OPERATOR)
                .contentType(ContentType.JSON)
                .body(Map.of("model", Map.of("versionId", v2.versionId()), "runtime", "vllm", "deploymentMode",
                        "Serverless", "endpoint", Map.of("visibility", "external")))
                .put("/api/v1/deployments/" + serviceId)
                .then()
                .statusCode(200)
                .body("model.digest", equalTo(v2.image().digest()))
                .body("revision", equalTo(2));
        isvc = Fixtures.isvc(NS, name);
        assertThat(((Map<String, Object>) Fixtures.predictor(isvc).get("model")).get("storageUri"))
                .isEqualTo("oci://" + v2.image().reference());
        Fixtures.markReady(NS, name);
        Fixtures.awaitRegistered(serviceId, e -> v2.image().digest().equals(e.digest()));

        given().auth().oauth2(OPERATOR).delete("/api/v1/deployments/" + serviceId).then().statusCode(204);
        ServiceDeregistered gone = Fixtures.awaitDeregistered(serviceId);
        assertThat(gone.reason()).contains("deleted by operator olga");
        assertThat(gone.digest()).isEqualTo(v2.image().digest());
        assertThat(Fixtures.isvc(NS, name)).isNull();
        given().auth().oauth2(OPERATOR).get("/api/v1/deployments/" + serviceId).then().statusCode(404);
    }

    @Test
    void aRevocationTakesEveryDeploymentOfTheDigestOutOfServiceAndBlocksNewOnes() {
        ModelApproved approved = Fixtures.approve("phi", null);
        String a = Fixtures.unique("phi");
        String b = Fixtures.unique("phi");
        for (String name : List.of(a, b)) {
            deploy(Map.of("name", name, "namespace", NS, "model", Map.of("versionId", approved.versionId()),
                    "runtime", "vllm"), 201);
            Fixtures.markReady(NS, name);
            Fixtures.awaitRegistered(NS + "/" + name, e -> true);
        }

        Fixtures.revoke(approved, "CVE-2026-0001 in the serving stack");
        for (String name : List.of(a, b)) {
            assertThat(Fixtures.awaitDeregistered(NS + "/" + name).reason()).contains("revoked", "CVE-2026-0001");
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> Fixtures.isvc(NS, name) == null);
        }

        String refusal = deploy(Map.of("name", Fixtures.unique("phi"), "namespace", NS, "model",
                Map.of("digest", approved.image().digest()), "runtime", "vllm"), 403).getString("detail");
        assertThat(refusal).contains("revoked", "CVE-2026-0001");
    }

    @Test
    void aTensorRtLlmDeploymentBringsItsServingRuntime() {
        ModelApproved approved = Fixtures.approve("nemotron", L4);
        String name = Fixtures.unique("nemotron");
        deploy(Map.of("name", name, "namespace", "trt", "model", Map.of("versionId", approved.versionId()),
                "runtime", "tensorrt-llm"), 201);
        GenericKubernetesResource runtime = Fixtures.kube()
                .genericKubernetesResources(KServeObjects.SERVING_RUNTIME)
                .inNamespace("trt")
                .withName("modelgate-tensorrt-llm")
                .get();
        assertThat(runtime).isNotNull();
        assertThat(Fixtures.isvc("trt", name)).isNotNull();
    }

    @Test
    @SuppressWarnings("unchecked")
    void aCustomRuntimeMustExistAndLendsItsModelFormat() {
        ModelApproved approved = Fixtures.approve("granite", null);
        Fixtures.kube()
                .genericKubernetesResources(KServeObjects.SERVING_RUNTIME)
                .inNamespace(NS)
                .resource(Fixtures.kube()
                        .getKubernetesSerialization()
                        .unmarshal(getClass().getResourceAsStream("/kserve/custom-runtime.yaml"),
                                GenericKubernetesResource.class))
                .createOr(io.fabric8.kubernetes.client.dsl.NonDeletingOperation::update);

        String name = Fixtures.unique("granite");
        deploy(Map.of("name", name, "namespace", NS, "model", Map.of("versionId", approved.versionId()), "runtime",
                "custom", "servingRuntime", "my-llm-server"), 201);
        Map<String, Object> model = (Map<String, Object>) Fixtures.predictor(Fixtures.isvc(NS, name)).get("model");
        assertThat(model.get("runtime")).isEqualTo("my-llm-server");
        assertThat((Map<String, Object>) model.get("modelFormat")).containsEntry("name", "huggingface");

        deploy(Map.of("name", Fixtures.unique("granite"), "namespace", NS, "model",
                Map.of("versionId", approved.versionId()), "runtime", "custom", "servingRuntime", "nope"), 400);
    }

    @Test
    void kubernetesApiErrorsAreShownAndRetriedWithBackoff() {
        ModelApproved approved = Fixtures.approve("gemma", null);
        String name = Fixtures.unique("gemma");
        String serviceId = NS + "/" + name;
        deploy(Map.of("name", name, "namespace", NS, "model", Map.of("versionId", approved.versionId()), "runtime",
                "vllm"), 201);

        // Someone else takes the name over: the rollout cannot be written, and says why.
        GenericKubernetesResource isvc = Fixtures.isvc(NS, name);
        String ownerId = isvc.getMetadata().getLabels().get(KServeObjects.LABEL_ID);
        isvc.getMetadata().getLabels().put(KServeObjects.LABEL_ID, "someone-else");
        Fixtures.kube()
                .genericKubernetesResources(KServeObjects.INFERENCE_SERVICE)
                .inNamespace(NS)
                .resource(isvc)
                .update();
        given().auth()
                .oauth2(OPERATOR)
                .contentType(ContentType.JSON)
                .body(Map.of("model", Map.of("versionId", approved.versionId()), "runtime", "vllm", "resources",
                        Map.of("memory", "16Gi")))
                .put("/api/v1/deployments/" + serviceId)
                .then()
                .statusCode(200)
                .body("status.kubernetes.writePending", equalTo(true))
                .body("status.kubernetes.lastError", org.hamcrest.Matchers.containsString("not managed"));
        Awaitility.await()
                .atMost(Duration.ofSeconds(10))
                .until(() -> get(serviceId).getInt(
                        "status.kubernetes.attempts") >= 2);

        // Once the name is ours again, the background retry writes the rollout.
        isvc = Fixtures.isvc(NS, name);
        isvc.getMetadata().getLabels().put(KServeObjects.LABEL_ID, ownerId);
        Fixtures.kube()
                .genericKubernetesResources(KServeObjects.INFERENCE_SERVICE)
                .inNamespace(NS)
                .resource(isvc)
                .update();
        Awaitility.await()
                .atMost(Duration.ofSeconds(15))
                .until(() -> !get(serviceId).getBoolean(
                        "status.kubernetes.writePending"));
        assertThat(get(serviceId).getString("status.kubernetes.lastError")).isNull();
        assertThat(Fixtures.isvc(NS, name).getMetadata().getAnnotations()).containsEntry(
                KServeObjects.ANNOTATION_REVISION, "2");
    }

    private static void restartWatcher() {
        io.modelgate.serving.messaging.InferenceServiceWatcher watcher = io.quarkus.arc.Arc.container()
                .instance(io.modelgate.serving.messaging.InferenceServiceWatcher.class)
                .get();
        long before = watcher.appliedCount();
        watcher.restart();
        Awaitility.await()
                .atMost(Duration.ofSeconds(10))
                .until(() -> watcher.appliedCount() > before
                        && watcher.idle());
    }
}
