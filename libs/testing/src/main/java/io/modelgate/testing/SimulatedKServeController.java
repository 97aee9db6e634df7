package io.modelgate.testing;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.utils.Serialization;

/**
 * Stands in for the KServe controller where no cluster runs (the local stack): watches InferenceServices and writes
 * the status KServe writes once the predictor is up — {@code Ready}, {@code status.url}, {@code status.address.url},
 * loaded model copies — validated against the CRD schema. Nothing is deployed; the URLs name where KServe would serve.
 */
public final class SimulatedKServeController implements AutoCloseable {

    public static final ResourceDefinitionContext INFERENCE_SERVICE = new ResourceDefinitionContext.Builder()
            .withGroup("serving.kserve.io")
            .withVersion("v1beta1")
            .withKind("InferenceService")
            .withPlural("inferenceservices")
            .withNamespaced(true)
            .build();

    private final KubernetesClient client;
    private final SharedIndexInformer<GenericKubernetesResource> informer;
    // Status writes leave the informer's thread free; one at a time keeps them in order.
    private final ExecutorService writer = Executors.newSingleThreadExecutor(r -> {
        Thread thread = new Thread(r, "simulated-kserve-controller");
        thread.setDaemon(true);
        return thread;
    });

    private SimulatedKServeController(KubernetesClient client) {
        this.client = client;
        this.informer = client.genericKubernetesResources(INFERENCE_SERVICE)
                .inAnyNamespace()
                .inform(new ResourceEventHandler<>() {
                    @Override
                    public void onAdd(GenericKubernetesResource isvc) {
                        reconcile(isvc);
                    }

                    @Override
                    public void onUpdate(GenericKubernetesResource old, GenericKubernetesResource isvc) {
                        reconcile(isvc);
                    }

                    @Override
                    public void onDelete(GenericKubernetesResource isvc, boolean unknownFinalState) {
                    }
                });
    }

    /** Starts marking every InferenceService of the cluster Ready as soon as it is written or changed. */
    public static SimulatedKServeController start(KubernetesClient client) {
        return new SimulatedKServeController(client);
    }

    private void reconcile(GenericKubernetesResource isvc) {
        if (isReadyForGeneration(isvc)) {
            return;
        }
        writer.execute(() -> {
            try {
                markReady(client, isvc.getMetadata().getNamespace(), isvc.getMetadata().getName());
            } catch (RuntimeException e) {
                // Deleted meanwhile, or a newer write won: the informer brings the newer object back here.
                System.err.println("simulated KServe controller: " + e.getMessage());
            }
        });
    }

    private static boolean isReadyForGeneration(GenericKubernetesResource isvc) {
        Object status = isvc.getAdditionalProperties().get("status");
        if (!(status instanceof Map<?, ?> map)) {
            return false;
        }
        Object observed = map.get("observedGeneration");
        Long generation = isvc.getMetadata().getGeneration();
        boolean current = generation == null || observed instanceof Number n && n.longValue() == generation;
        return current && map.get("conditions") instanceof List<?> conditions && conditions.stream()
                .anyMatch(c -> c instanceof Map<?, ?> m && "Ready".equals(m.get("type"))
                        && "True".equals(m.get("status")));
    }

    /** Writes the status KServe writes when an InferenceService's model is loaded and its endpoints are up. */
    public static void markReady(KubernetesClient client, String namespace, String name) {
        GenericKubernetesResource isvc = client.genericKubernetesResources(INFERENCE_SERVICE)
                .inNamespace(namespace)
                .withName(name)
                .get();
        if (isvc == null) {
            return;
        }
        Map<String, Object> status = new LinkedHashMap<>();
        if (isvc.getMetadata().getGeneration() != null) {
            status.put("observedGeneration", isvc.getMetadata().getGeneration());
        }
        status.put("url", "https://" + name + "-" + namespace + ".apps.example.com");
        status.put("address", Map.of("url", "http://" + name + "-predictor." + namespace + ".svc.cluster.local"));
        status.put("conditions", List.of(condition("IngressReady"), condition("PredictorReady"),
                condition("Ready")));
        status.put("modelStatus", Map.of(
                "transitionStatus", "UpToDate",
                "states", Map.of("activeModelState", "Loaded", "targetModelState", "Loaded"),
                "copies", Map.of("failedCopies", 0, "totalCopies", 1)));
        Map<String, String> annotations = isvc.getMetadata().getAnnotations();
        status.put("deploymentMode", annotations == null
                ? "RawDeployment"
                : annotations.getOrDefault("serving.kserve.io/deploymentMode", "RawDeployment"));
        isvc.getAdditionalProperties().put("status", status);
        List<String> violations = KServeSchemas.violations(Serialization.asJson(isvc));
        if (!violations.isEmpty()) {
            throw new IllegalStateException("Simulated status violates the CRD schema: " + violations);
        }
        client.genericKubernetesResources(INFERENCE_SERVICE).inNamespace(namespace).resource(isvc).updateStatus();
    }

    private static Map<String, Object> condition(String type) {
        Map<String, Object> condition = new LinkedHashMap<>();
        condition.put("type", type);
        condition.put("status", "True");
        condition.put("lastTransitionTime", Instant.now().toString());
        return condition;
    }

    @Override
    public void close() {
        informer.close();
        writer.shutdownNow();
    }
}
