package io.modelgate.serving.api;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.modelgate.events.ModelApproved;
import io.modelgate.platform.security.Roles;
import io.modelgate.serving.Fixtures;
import io.modelgate.serving.client.KServeObjects;
import io.modelgate.testing.KubernetesTestResource;
import io.modelgate.testing.ModelgateTestResources;
import io.modelgate.testing.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

import static io.modelgate.serving.Fixtures.NS;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

@QuarkusTest
@QuarkusTestResource(ModelgateTestResources.class)
@QuarkusTestResource(KubernetesTestResource.class)
class BadInputTest {

    static final String OPERATOR = DeploymentResourceTest.OPERATOR;

    static Map<String, Object> body(ModelApproved approved, Object... extra) {
        Map<String, Object> body = new HashMap<>(Map.of("name", Fixtures.unique("m"), "namespace", NS, "model",
                Map.of("versionId", approved.versionId()), "runtime", "vllm"));
        for (int i = 0; i < extra.length; i += 2) {
            body.put((String) extra[i], extra[i + 1]);
        }
        return body;
    }

    static void refused(Map<String, Object> body, int status, String detail) {
        given().auth()
                .oauth2(OPERATOR)
                .contentType(ContentType.JSON)
                .body(body)
                .post("/api/v1/deployments")
                .then()
                .statusCode(status)
                .contentType("application/problem+json")
                .body("detail", containsString(detail));
    }

    @Test
    void aDigestWithoutApprovalIsForbidden() {
        String digest = Fixtures.newDigest();
        refused(Map.of("name", Fixtures.unique("m"), "namespace", NS, "model", Map.of("digest", digest), "runtime",
                "vllm"), 403, "holds no approval");
        assertThat(Fixtures.isvc(NS, "m")).isNull();
    }

    @Test
    void anUnknownVersionIsNotFound() {
        refused(Map.of("name", Fixtures.unique("m"), "namespace", NS, "model", Map.of("versionId", "nope"), "runtime",
                "vllm"), 404, "unknown to serving");
    }

    @Test
    void resourcesThatAreNotQuantitiesAreRefused() {
        ModelApproved approved = Fixtures.approve("bad-q", null);
        refused(body(approved, "resources", Map.of("memory", "lots")), 400, "not a Kubernetes quantity");
        refused(body(approved, "resources", Map.of("cpu", "4 cores")), 400, "not a Kubernetes quantity");
        refused(body(approved, "resources", Map.of("cpu", "-1")), 400, "resources.cpu");
    }

    @Test
    void unknownRuntimesModesAndImpossibleScalingAreRefused() {
        ModelApproved approved = Fixtures.approve("bad-rt", null);
        refused(body(approved, "runtime", "llama.cpp"), 400, "Unknown runtime");
        refused(body(approved, "runtime", "custom"), 400, "servingRuntime");
        refused(body(approved, "deploymentMode", "Batch"), 400, "deploymentMode");
        refused(body(approved, "scaling", Map.of("minReplicas", 0)), 400, "Serverless");
        refused(body(approved, "scaling", Map.of("minReplicas", 3, "maxReplicas", 2)), 400, "maxReplicas");
        refused(body(approved, "scaling", Map.of("scaleMetric", "rps")), 400, "Serverless");
        refused(body(approved, "endpoint", Map.of("visibility", "public")), 400, "visibility");
        refused(body(approved, "name", "Not_A_Name"), 400, "");
    }

    @Test
    void nameConflictsAreRefused() {
        ModelApproved approved = Fixtures.approve("dup", null);
        Map<String, Object> body = body(approved);
        given().auth()
                .oauth2(OPERATOR)
                .contentType(ContentType.JSON)
                .body(body)
                .post("/api/v1/deployments")
                .then()
                .statusCode(201);
        refused(body, 409, "already exists");

        // An InferenceService Modelgate does not manage is never taken over.
        String foreign = Fixtures.unique("foreign");
        GenericKubernetesResource isvc = new GenericKubernetesResource();
        isvc.setApiVersion("serving.kserve.io/v1beta1");
        isvc.setKind("InferenceService");
        isvc.setMetadata(new ObjectMetaBuilder().withName(foreign).withNamespace(NS).build());
        isvc.getAdditionalProperties()
                .put("spec", Map.of("predictor", Map.of("model", Map.of("modelFormat",
                        Map.of("name", "sklearn"), "storageUri", "gs://bucket/model"))));
        Fixtures.kube()
                .genericKubernetesResources(KServeObjects.INFERENCE_SERVICE)
                .inNamespace(NS)
                .resource(isvc)
                .create();
        refused(body(approved, "name", foreign), 409, "not managed by Modelgate");
    }

    @Test
    void unknownDeploymentsAreNotFoundAndRolesAreEnforced() {
        given().auth().oauth2(OPERATOR).get("/api/v1/deployments/" + NS + "/nothing").then().statusCode(404);
        given().auth().oauth2(OPERATOR).delete("/api/v1/deployments/" + NS + "/nothing").then().statusCode(404);
        given().auth()
                .oauth2(OPERATOR)
                .contentType(ContentType.JSON)
                .body(Map.of("model", Map.of("versionId", "x"), "runtime", "vllm"))
                .put("/api/v1/deployments/" + NS + "/nothing")
                .then()
                .statusCode(404);
        given().auth()
                .oauth2(TestTokens.forUser("vic", Roles.VIEWER))
                .contentType(ContentType.JSON)
                .body(Map.of("name", "x", "model", Map.of("versionId", "x"), "runtime", "vllm"))
                .post("/api/v1/deployments")
                .then()
                .statusCode(403);
        given().get("/api/v1/deployments").then().statusCode(401);
    }
}
