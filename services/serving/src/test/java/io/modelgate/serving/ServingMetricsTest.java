package io.modelgate.serving;

import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.modelgate.events.ModelApproved;
import io.modelgate.platform.security.Roles;
import io.modelgate.serving.client.KServeObjects;
import io.modelgate.serving.domain.Health;
import io.modelgate.serving.domain.Phase;
import io.modelgate.testing.KubernetesTestResource;
import io.modelgate.testing.ModelgateTestResources;
import io.modelgate.testing.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

import static io.modelgate.serving.Fixtures.NS;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/** Serving's domain metrics as Prometheus scrapes them from {@code /q/metrics}. */
@QuarkusTest
@QuarkusTestResource(ModelgateTestResources.class)
@QuarkusTestResource(KubernetesTestResource.class)
class ServingMetricsTest {

    private static final String OPERATOR = TestTokens.forUser("olga", Roles.OPERATOR);
    private static final Duration WAIT = Duration.ofSeconds(30);

    @AfterEach
    void everythingWrittenIsValid() {
        Fixtures.assertEverythingWrittenIsValid();
    }

    @Test
    void deploymentsAndExternalServicesAreCountedByStatusFromTheDatabase() {
        ModelApproved approved = Fixtures.approve("phi", null);
        String name = Fixtures.unique("phi");
        deploy(name, approved);
        Fixtures.markFailed(NS, name, "ModelLoadFailed", "weights missing");
        Fixtures.awaitSql("select count(*) from deployment where name = '" + name + "' and phase = 'FAILED'", 1);

        // The gauges follow the table (within their few seconds of caching), every status exported.
        Awaitility.await().atMost(WAIT).untilAsserted(() -> {
            String metrics = metrics();
            for (Phase phase : Phase.values()) {
                assertThat(value(metrics, "modelgate_serving_deployments", "status", phase.name())).as(phase.name())
                        .isEqualTo(Fixtures.count("select count(*) from deployment where phase = '" + phase + "'"));
                assertThat(value(metrics, "modelgate_serving_external_services", "status", phase.name()))
                        .as(phase.name())
                        .isEqualTo(Fixtures.count("select count(*) from external_service where phase = '" + phase
                                + "'"));
            }
            for (Health health : Health.values()) {
                assertThat(value(metrics, "modelgate_serving_external_health", "health", health.name()))
                        .as(health.name())
                        .isEqualTo(Fixtures.count("select count(*) from external_service where health = '" + health
                                + "'"));
            }
        });
        assertThat(value(metrics(), "modelgate_serving_deployments", "status", "FAILED")).isGreaterThanOrEqualTo(1);
    }

    @Test
    void aKubernetesWriteThatFailsIsCounted() {
        ModelApproved approved = Fixtures.approve("olmo", null);
        String name = Fixtures.unique("olmo");
        deploy(name, approved);
        double before = errors("409");

        // Someone else takes the name over: the rollout cannot be written.
        GenericKubernetesResource isvc = Fixtures.isvc(NS, name);
        String ownerId = isvc.getMetadata().getLabels().get(KServeObjects.LABEL_ID);
        setOwner(isvc, "someone-else");
        given().auth()
                .oauth2(OPERATOR)
                .contentType(ContentType.JSON)
                .body(Map.of("model", Map.of("versionId", approved.versionId()), "runtime", "vllm", "resources",
                        Map.of("memory", "16Gi")))
                .put("/api/v1/deployments/" + NS + "/" + name)
                .then()
                .statusCode(200);
        // Written in the request, or by the background retry when that was writing at the same moment.
        Fixtures.awaitSql("select count(*) from deployment where name = '" + name
                + "' and kube_error like '%not managed%'", 1);
        Awaitility.await()
                .atMost(WAIT)
                .untilAsserted(() -> assertThat(errors("409"))

                        .isGreaterThanOrEqualTo(
                                before + 1));

        // Given back, so the background retry stops failing.
        setOwner(Fixtures.isvc(NS, name), ownerId);
        Fixtures.awaitSql("select count(*) from deployment where name = '" + name
                + "' and applied_revision = spec_revision", 1);
    }

    private static void deploy(String name, ModelApproved approved) {
        given().auth()
                .oauth2(OPERATOR)
                .contentType(ContentType.JSON)
                .body(Map.of("name", name, "namespace", NS, "model", Map.of("versionId", approved.versionId()),
                        "runtime", "vllm"))
                .post("/api/v1/deployments")
                .then()
                .statusCode(201);
    }

    private static void setOwner(GenericKubernetesResource isvc, String ownerId) {
        isvc.getMetadata().getLabels().put(KServeObjects.LABEL_ID, ownerId);
        Fixtures.kube()
                .genericKubernetesResources(KServeObjects.INFERENCE_SERVICE)
                .inNamespace(NS)
                .resource(isvc)
                .update();
    }

    private static double errors(String code) {
        Matcher matcher = Pattern.compile("(?m)^modelgate_serving_kubernetes_errors_total\\{([^}]*)\\} (\\S+)")
                .matcher(metrics());
        double total = 0;
        while (matcher.find()) {
            String tags = matcher.group(1);
            if (tags.contains("operation=\"write\"") && tags.contains("kind=\"InferenceService\"")
                    && tags.contains("code=\"" + code + "\"")) {
                total += Double.parseDouble(matcher.group(2));
            }
        }
        return total;
    }

    private static String metrics() {
        return given().get("/q/metrics").then().statusCode(200).extract().asString();
    }

    /** The value of the series {@code name} whose {@code tag} is {@code value}; fails when there is none. */
    private static double value(String metrics, String name, String tag, String value) {
        Matcher matcher = Pattern.compile("(?m)^" + Pattern.quote(name) + "\\{([^}]*)\\} (\\S+)").matcher(metrics);
        while (matcher.find()) {
            if (matcher.group(1).contains(tag + "=\"" + value + "\"")) {
                return Double.parseDouble(matcher.group(2));
            }
        }
        throw new AssertionError("No series " + name + "{" + tag + "=\"" + value + "\"} in /q/metrics");
    }
}
