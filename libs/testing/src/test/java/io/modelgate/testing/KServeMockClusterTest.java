package io.modelgate.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.NamespacedKubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.Resource;

import static org.assertj.core.api.Assertions.assertThat;

class KServeMockClusterTest {

    private static final String API_VERSION = "serving.kserve.io/v1beta1";
    private static final String STORAGE_URI = "oci://registry.modelgate.local/models/demo@sha256:"
            + "2f4d6f73308c6e8545e3e1068b286ad094d8240ae2789be4128063be8b5ba66a";
    private static final String ISVC_YAML = """
            apiVersion: serving.kserve.io/v1beta1
            kind: InferenceService
            metadata:
              name: %s
              namespace: test
              labels:
                app.kubernetes.io/managed-by: modelgate
            spec:
              predictor:
                model:
                  modelFormat:
                    name: vllm
                  storageUri: %s
            """;

    private KServeMockCluster cluster;
    private NamespacedKubernetesClient client;

    @BeforeEach
    void start() {
        cluster = KServeMockCluster.start();
        client = cluster.client();
    }

    @AfterEach
    void stop() {
        cluster.close();
    }

    @Test
    void theKServeCrdsAreInstalled() {
        for (String name : List.of("inferenceservices.serving.kserve.io", "servingruntimes.serving.kserve.io",
                "clusterservingruntimes.serving.kserve.io")) {
            CustomResourceDefinition crd = client.apiextensions().v1().customResourceDefinitions().withName(name).get();
            assertThat(crd).as(name).isNotNull();
            assertThat(crd.getSpec().getGroup()).isEqualTo("serving.kserve.io");
        }
        CustomResourceDefinition isvc = client.apiextensions()
                .v1()
                .customResourceDefinitions()
                .withName("inferenceservices.serving.kserve.io")
                .get();
        assertThat(isvc.getSpec().getNames().getKind()).isEqualTo("InferenceService");
        assertThat(isvc.getSpec().getScope()).isEqualTo("Namespaced");
        assertThat(isvc.getSpec().getVersions()).anySatisfy(v -> {
            assertThat(v.getName()).isEqualTo("v1beta1");
            assertThat(v.getServed()).isTrue();
            assertThat(v.getSubresources().getStatus()).isNotNull();
            assertThat(v.getSchema().getOpenAPIV3Schema().getProperties()).containsKeys("spec", "status");
        });
        assertThat(client.apiextensions()
                .v1()
                .customResourceDefinitions()
                .withName("clusterservingruntimes.serving.kserve.io")
                .get()
                .getSpec()
                .getScope())
                .isEqualTo("Cluster");
        assertThat(cluster.url()).startsWith("http");
    }

    @Test
    void inferenceServiceCanBeCreatedReadListedAndGivenAStatus() {
        MixedOperation<GenericKubernetesResource, GenericKubernetesResourceList, Resource<GenericKubernetesResource>> isvcs = client
                .genericKubernetesResources(API_VERSION, "InferenceService");

        GenericKubernetesResource created = isvcs.inNamespace("test").resource(isvc("demo")).create();
        assertThat(created.getMetadata().getUid()).isNotBlank();
        assertThat(created.getMetadata().getResourceVersion()).isNotBlank();
        isvcs.inNamespace("test").resource(isvc("other")).create();

        GenericKubernetesResource read = isvcs.inNamespace("test").withName("demo").get();
        assertThat(read).isNotNull();
        assertThat(read.getKind()).isEqualTo("InferenceService");
        assertThat(read.getApiVersion()).isEqualTo(API_VERSION);
        assertThat(read.getMetadata().getLabels()).containsEntry("app.kubernetes.io/managed-by", "modelgate");
        assertThat(nested(read, "spec", "predictor", "model", "modelFormat", "name")).isEqualTo("vllm");
        assertThat(nested(read, "spec", "predictor", "model", "storageUri")).isEqualTo(STORAGE_URI);

        assertThat(isvcs.inNamespace("test").list().getItems())
                .extracting(r -> r.getMetadata().getName())
                .containsExactlyInAnyOrder("demo", "other");
        assertThat(isvcs.inNamespace("elsewhere").list().getItems()).isEmpty();
        assertThat(isvcs.inNamespace("test")
                .withLabel("app.kubernetes.io/managed-by", "modelgate")
                .list()
                .getItems()).hasSize(2);

        // What the KServe controller does once the predictor is up: a PUT to the status subresource.
        read.setAdditionalProperty("status", readyStatus("http://demo.test.example.com"));
        GenericKubernetesResource updated = isvcs.inNamespace("test").resource(read).updateStatus();
        assertThat(nested(updated, "status", "url")).isEqualTo("http://demo.test.example.com");

        GenericKubernetesResource ready = isvcs.inNamespace("test").withName("demo").get();
        assertThat(nested(ready, "status", "url")).isEqualTo("http://demo.test.example.com");
        assertThat(readyCondition(ready)).isEqualTo("True");
        // Writing status does not touch the spec or bump the generation.
        assertThat(nested(ready, "spec", "predictor", "model", "storageUri")).isEqualTo(STORAGE_URI);
        assertThat(ready.getMetadata().getGeneration()).isEqualTo(created.getMetadata().getGeneration());
        assertThat(ready.getMetadata().getResourceVersion()).isNotEqualTo(created.getMetadata().getResourceVersion());

        // A later condition change as a patch of the status subresource.
        GenericKubernetesResource notReady = isvcs.inNamespace("test").withName("demo").editStatus(r -> {
            r.setAdditionalProperty("status", Map.of("url", "http://demo.test.example.com", "conditions",
                    List.of(Map.of("type", "Ready", "status", "False", "reason", "RevisionMissing"))));
            return r;
        });
        assertThat(readyCondition(notReady)).isEqualTo("False");
        assertThat(readyCondition(isvcs.inNamespace("test").withName("demo").get())).isEqualTo("False");

        // A main-resource update keeps the status, as with a real status subresource.
        GenericKubernetesResource current = isvcs.inNamespace("test").withName("demo").get();
        current.setAdditionalProperty("status", Map.of());
        GenericKubernetesResource afterSpecUpdate = isvcs.inNamespace("test").resource(current).update();
        assertThat(readyCondition(afterSpecUpdate)).isEqualTo("False");
    }

    @Test
    void watchSeesAddedAndModified() throws Exception {
        LinkedBlockingQueue<String> events = new LinkedBlockingQueue<>();
        var isvcs = client.genericKubernetesResources(API_VERSION, "InferenceService").inNamespace("test");
        try (Watch watch = isvcs.watch(new Watcher<>() {
            @Override
            public void eventReceived(Action action, GenericKubernetesResource resource) {
                Object url = resource.getAdditionalProperties().get("status") instanceof Map<?, ?> status
                        ? status.get("url")
                        : null;
                events.add(action + " " + resource.getMetadata().getName() + " " + url);
            }

            @Override
            public void onClose(WatcherException cause) {
                // Closed by the test.
            }
        })) {
            GenericKubernetesResource created = isvcs.resource(isvc("watched")).create();
            assertThat(events.poll(5, TimeUnit.SECONDS)).isEqualTo("ADDED watched null");

            created.setAdditionalProperty("status", readyStatus("http://watched.test.example.com"));
            isvcs.resource(created).updateStatus();
            assertThat(events.poll(5, TimeUnit.SECONDS)).isEqualTo("MODIFIED watched http://watched.test.example.com");

            isvcs.withName("watched").delete();
            assertThat(events.poll(5, TimeUnit.SECONDS)).startsWith("DELETED watched");
        }
    }

    private GenericKubernetesResource isvc(String name) {
        return client.getKubernetesSerialization()
                .unmarshal(ISVC_YAML.formatted(name, STORAGE_URI), GenericKubernetesResource.class);
    }

    private static Map<String, Object> readyStatus(String url) {
        List<Map<String, Object>> conditions = new ArrayList<>();
        for (String type : List.of("IngressReady", "PredictorReady", "Ready")) {
            conditions.add(Map.of("type", type, "status", "True", "lastTransitionTime", "2026-01-01T00:00:00Z"));
        }
        return Map.of(
                "url", url,
                "address", Map.of("url", "http://demo-predictor.test.svc.cluster.local"),
                "observedGeneration", 1,
                "conditions", conditions);
    }

    private static String readyCondition(GenericKubernetesResource resource) {
        Object status = resource.getAdditionalProperties().get("status");
        assertThat(status).as("status of %s", resource.getMetadata().getName()).isInstanceOf(Map.class);
        Object conditions = ((Map<?, ?>) status).get("conditions");
        assertThat(conditions).isInstanceOf(List.class);
        return ((List<?>) conditions).stream()
                .map(c -> (Map<?, ?>) c)
                .filter(c -> "Ready".equals(c.get("type")))
                .map(c -> String.valueOf(c.get("status")))
                .findFirst()
                .orElse(null);
    }

    private static Object nested(GenericKubernetesResource resource, String first, String... path) {
        Object current = resource.getAdditionalProperties().get(first);
        for (String key : path) {
            if (!(current instanceof Map<?, ?> map)) {
                return null;
            }
            current = map.get(key);
        }
        return current;
    }
}
