package io.modelgate.deployment;

import java.util.List;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.modelgate.deployment.Kustomizations.Patch;
import io.modelgate.deployment.Kustomizations.Resource;

import static org.assertj.core.api.Assertions.assertThat;

/** The checks fail on deliberately broken in-memory copies of the real manifests: they can catch mistakes. */
class BrokenCopiesTest {

    /** A deep copy of the base with one object changed. */
    static List<Resource> broken(String kind, String name, Consumer<ObjectNode> change) {
        List<Resource> copy = KubernetesManifestsTest.tree("base")
                .resources()
                .stream()
                .map(r -> new Resource(r.origin(), r.node().deepCopy()))
                .toList();
        Resource target = ManifestChecks.find(copy, kind, name).orElseThrow();
        change.accept(target.node());
        return copy;
    }

    static List<String> problems(List<Resource> resources) {
        return KubernetesManifestsTest.CHECKS.all(resources);
    }

    static ObjectNode container(ObjectNode workload) {
        return (ObjectNode) workload.path("spec").path("template").path("spec").path("containers").get(0);
    }

    @Test
    void theUnchangedCopyPasses() {
        assertThat(problems(broken("Deployment", "approval", d -> {
        }))).isEmpty();
    }

    @Test
    void aMisspeltFieldFailsTheSchema() {
        assertThat(problems(broken("Deployment", "approval", d -> {
            ObjectNode spec = (ObjectNode) d.path("spec");
            spec.set("replica", spec.remove("replicas"));
        }))).singleElement().asString().contains("Deployment/approval: .spec.replica:", "Unrecognized field");
        assertThat(problems(broken("HorizontalPodAutoscaler", "scanner",
                h -> ((ObjectNode) h.path("spec")).put("maxReplica", 3))))
                .singleElement()
                .asString()
                .contains(".spec.maxReplica:");
    }

    @Test
    void aWrongTypeFailsTheSchema() {
        assertThat(problems(broken("Deployment", "serving",
                d -> ((ObjectNode) d.path("spec")).put("replicas", "two"))))
                .singleElement()
                .asString()
                .contains("Deployment/serving: .spec.replicas:");
        assertThat(problems(broken("ConfigMap", "modelgate-config",
                c -> ((ObjectNode) c.path("data")).put("MODELGATE_DB_USER", 5))))
                .singleElement()
                .asString()
                .contains("ConfigMap/modelgate-config: .data.MODELGATE_DB_USER:");
    }

    @Test
    void aServiceSelectingNoPodsIsCaught() {
        assertThat(problems(broken("Service", "model-sync", s -> ((ObjectNode) s.path("spec").path("selector"))
                .put("app.kubernetes.io/name", "model-sink"))))
                .anyMatch(p -> p.contains("Service/model-sync") && p.contains("matches no workload"));
    }

    @Test
    void anUnknownSecretOrKeyIsCaught() {
        assertThat(problems(broken("Deployment", "registry-sync", d -> {
            for (JsonNode env : container(d).path("env")) {
                if (env.path("valueFrom").has("secretKeyRef")) {
                    ((ObjectNode) env.path("valueFrom").path("secretKeyRef")).put("name", "registry-secrets");
                }
            }
        }))).anyMatch(p -> p.contains("Secret registry-secrets is neither defined nor documented"));
        assertThat(problems(broken("Deployment", "model-sync", d -> {
            for (JsonNode env : container(d).path("env")) {
                if (env.path("valueFrom").has("configMapKeyRef")) {
                    ((ObjectNode) env.path("valueFrom").path("configMapKeyRef")).put("key", "modelsync");
                }
            }
        }))).anyMatch(p -> p.contains("ConfigMap modelgate-databases has no key modelsync"));
    }

    @Test
    void aProbeOnAPortTheContainerDoesNotHaveIsCaught() {
        assertThat(problems(broken("Deployment", "approval", d -> ((ObjectNode) container(d).path("readinessProbe")
                .path("httpGet")).put("port", 8080))))
                .anyMatch(p -> p.contains("readinessProbe port 8080"));
    }

    @Test
    void missingScrapeAnnotationsRequiredSettingsAndTmpAreCaught() {
        assertThat(problems(broken("StatefulSet", "scanner", s -> ((ObjectNode) s.path("spec")
                .path("template")
                .path("metadata")
                .path("annotations")).remove("prometheus.io/scrape"))))
                .anyMatch(p -> p.contains("prometheus.io/scrape"));
        assertThat(problems(broken("Deployment", "model-sync", d -> {
            ArrayNode env = (ArrayNode) container(d).path("env");
            for (int i = env.size() - 1; i >= 0; i--) {
                if (env.get(i).path("name").asText().equals("MODELGATE_MODEL_SYNC_CREDENTIALS_KEY")) {
                    env.remove(i);
                }
            }
        }))).anyMatch(p -> p.contains("MODELGATE_MODEL_SYNC_CREDENTIALS_KEY (required by application.properties)"));
        assertThat(problems(broken("Deployment", "serving", d -> ((ArrayNode) container(d).path("volumeMounts"))
                .remove(0)))).anyMatch(p -> p.contains("no emptyDir mounted at /tmp"));
    }

    @Test
    void aBindingToAMissingRoleIsCaught() {
        assertThat(problems(broken("RoleBinding", "modelgate-serving-deploy",
                b -> ((ObjectNode) b.path("roleRef")).put("name", "modelgate-serving"))))
                .anyMatch(p -> p.contains("roleRef ClusterRole/modelgate-serving is not defined"));
    }

    @Test
    void anInvalidServingRuntimeFailsItsCrdSchema() {
        assertThat(problems(broken("ServingRuntime", "modelgate-proxy",
                r -> ((ObjectNode) r.path("spec")).put("supportedModelFormats", "modelgate-proxy"))))
                .anyMatch(p -> p.contains("ServingRuntime/modelgate-proxy"));
    }

    @Test
    void patchesOnMissingTargetsOrPathsAreCaught() {
        List<Resource> base = KubernetesManifestsTest.tree("base").resources();
        JsonNode replace = Repo.yamlDocuments("- op: replace\n  path: /spec/maxReplicas\n  value: 2\n").get(0);
        JsonNode hpa = Repo.JSON.createObjectNode().put("kind", "HorizontalPodAutoscaler").put("name", "scaner");
        assertThat(Kustomizations.check(new Patch("test", replace, hpa), base))
                .singleElement()
                .asString()
                .contains("matches no object");
        JsonNode wrongPath = Repo.yamlDocuments("- op: replace\n  path: /spec/maxReplica\n  value: 2\n").get(0);
        hpa = Repo.JSON.createObjectNode().put("kind", "HorizontalPodAutoscaler").put("name", "scanner");
        assertThat(Kustomizations.check(new Patch("test", wrongPath, hpa), base)).isNotEmpty();
        JsonNode wrongValue = Repo.yamlDocuments("- op: replace\n  path: /spec/maxReplicas\n  value: many\n").get(0);
        assertThat(Kustomizations.check(new Patch("test", wrongValue, hpa), base)).isNotEmpty();
        JsonNode strategic = Repo.yamlDocuments("""
                apiVersion: apps/v1
                kind: StatefulSet
                metadata:
                  name: scanner
                spec:
                  template:
                    spec:
                      containers:
                        - name: scaner
                          resources:
                            limits:
                              memory: 1Gi
                """).get(0);
        assertThat(Kustomizations.check(new Patch("test", strategic, Repo.JSON.missingNode()), base))
                .singleElement()
                .asString()
                .contains("no container named scaner");
    }
}
