package io.modelgate.serving;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.Awaitility;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.NamespacedKubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.modelgate.events.ApprovalDecision;
import io.modelgate.events.ApprovalMode;
import io.modelgate.events.EventJson;
import io.modelgate.events.EventTypes;
import io.modelgate.events.FunctionType;
import io.modelgate.events.ImageDescriptor;
import io.modelgate.events.ModelApproved;
import io.modelgate.events.ModelMetadata;
import io.modelgate.events.ModelRevoked;
import io.modelgate.events.ResourceRequirements;
import io.modelgate.events.ServiceDeregistered;
import io.modelgate.events.ServiceRegistered;
import io.modelgate.events.Topics;
import io.modelgate.serving.client.KServeObjects;
import io.modelgate.testing.KServeSchemas;
import io.modelgate.testing.KafkaTestClient;
import io.modelgate.testing.KubernetesTestResource;
import io.modelgate.testing.SimulatedKServeController;
import io.quarkus.narayana.jta.QuarkusTransaction;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Test support: approvals as approval sends them, the cluster as the KServe controller leaves it (status written the
 * way the controller writes it), the events serving emits, and schema validation of everything in the cluster.
 */
public final class Fixtures {

    public static final String NS = "models";
    private static final SecureRandom RANDOM = new SecureRandom();

    private Fixtures() {
    }

    public static String newDigest() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return "sha256:" + HexFormat.of().formatHex(bytes);
    }

    public static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    public static ModelApproved approved(String versionId, String modelName, String digest,
            ResourceRequirements resources) {
        ImageDescriptor image = new ImageDescriptor("conn-1", "registry.example.com", "models/" + modelName, "1.0.0",
                digest, ImageDescriptor.pinnedReference("registry.example.com", "models/" + modelName, digest), null,
                null, 0, null, Map.of(), Map.of());
        return ModelApproved.of("model-" + modelName, modelName, versionId, "1.0.0", image,
                List.of(FunctionType.CHAT, FunctionType.COMPLETION),
                new ModelMetadata(8_000_000_000L, 131072, "bfloat16", null, "llama3.1", Map.of()), resources, null,
                new ApprovalDecision(ApprovalMode.HUMAN, List.of("ada"), null, "ok"));
    }

    public static ModelRevoked revoked(ModelApproved approved, String reason) {
        return ModelRevoked.of(approved.modelId(), approved.modelName(), approved.versionId(), approved.version(),
                approved.image().digest(), approved.image().reference(), reason, "grace");
    }

    /** Sends an approval and waits until serving has recorded it. */
    public static ModelApproved approve(String modelName, ResourceRequirements resources) {
        ModelApproved event = approved(UUID.randomUUID().toString(), modelName, newDigest(), resources);
        KafkaTestClient.shared().sendEvent(event);
        awaitSql("select count(*) from approved_version where version_id = '" + event.versionId()
                + "' and revoked_at is null", 1);
        return event;
    }

    public static void revoke(ModelApproved approved, String reason) {
        KafkaTestClient.shared().sendEvent(revoked(approved, reason));
        awaitSql("select count(*) from approved_version where version_id = '" + approved.versionId()
                + "' and revoked_at is not null", 1);
    }

    public static void awaitSql(String countQuery, long expected) {
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> count(countQuery) == expected);
    }

    public static long count(String countQuery) {
        return QuarkusTransaction.requiringNew()
                .call(() -> ((Number) io.quarkus.arc.Arc.container()
                        .instance(jakarta.persistence.EntityManager.class)
                        .get()
                        .createNativeQuery(countQuery)
                        .getSingleResult()).longValue());
    }

    /** Every outbox payload announcing {@code serviceId}, oldest first. */
    @SuppressWarnings("unchecked")
    public static List<String> outboxPayloads(String serviceId) {
        return QuarkusTransaction.requiringNew()
                .call(() -> (List<String>) io.quarkus.arc.Arc.container()
                        .instance(jakarta.persistence.EntityManager.class)
                        .get()
                        .createNativeQuery("select payload from outbox_event where record_key = ?1 order by created_at")
                        .setParameter(1, serviceId)
                        .getResultList());
    }

    @SuppressWarnings("unchecked")
    public static <T> List<T> sqlStrings(String query) {
        return QuarkusTransaction.requiringNew()
                .call(() -> (List<T>) io.quarkus.arc.Arc.container()
                        .instance(jakarta.persistence.EntityManager.class)
                        .get()
                        .createNativeQuery(query)
                        .getResultList());
    }

    public static ServiceRegistered awaitRegistered(String serviceId, Predicate<ServiceRegistered> match) {
        ConsumerRecord<String, byte[]> record = KafkaTestClient.shared()
                .await(Topics.SERVING_SERVICES,
                        r -> serviceId.equals(r.key()) && EventTypes.of(ServiceRegistered.class)
                                .type()
                                .equals(KafkaTestClient.header(r, "ce_type"))
                                && match.test(EventJson.read(r.value(),
                                        ServiceRegistered.class)),
                        Duration.ofSeconds(30));
        return EventJson.read(record.value(), ServiceRegistered.class);
    }

    public static ServiceDeregistered awaitDeregistered(String serviceId) {
        ConsumerRecord<String, byte[]> record = KafkaTestClient.shared()
                .await(Topics.SERVING_SERVICES,
                        r -> serviceId.equals(r.key())
                                && EventTypes.of(ServiceDeregistered.class)
                                        .type()
                                        .equals(KafkaTestClient.header(r, "ce_type")),
                        Duration.ofSeconds(30));
        return EventJson.read(record.value(), ServiceDeregistered.class);
    }

    // ---- the cluster ----

    public static NamespacedKubernetesClient kube() {
        return KubernetesTestResource.cluster().client();
    }

    public static GenericKubernetesResource isvc(String namespace, String name) {
        return kube().genericKubernetesResources(KServeObjects.INFERENCE_SERVICE)
                .inNamespace(namespace)
                .withName(name)
                .get();
    }

    public static GenericKubernetesResource awaitIsvc(String namespace, String name) {
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> isvc(namespace, name) != null);
        return isvc(namespace, name);
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> predictor(GenericKubernetesResource isvc) {
        return (Map<String, Object>) ((Map<String, Object>) isvc.getAdditionalProperties().get("spec"))
                .get("predictor");
    }

    /** Status as the KServe controller writes it once the predictor is up. */
    public static void markReady(String namespace, String name) {
        SimulatedKServeController.markReady(kube(), namespace, name);
    }

    /** Status as the KServe controller writes it when the model fails to load. */
    public static void markFailed(String namespace, String name, String reason, String message) {
        GenericKubernetesResource isvc = isvc(namespace, name);
        writeStatus(isvc, Map.of(
                "observedGeneration", isvc.getMetadata().getGeneration(),
                "conditions", List.of(
                        condition("PredictorReady", "False", reason, message),
                        condition("Ready", "False", reason, message)),
                "modelStatus", Map.of(
                        "transitionStatus", "BlockedByFailedLoad",
                        "states", Map.of("activeModelState", "FailedToLoad", "targetModelState", "Loaded"),
                        "lastFailureInfo", Map.of("location", name + "-predictor-7d9f", "reason", reason,
                                "message", message, "time", Instant.now().toString(), "exitCode", 1),
                        "copies", Map.of("failedCopies", 1, "totalCopies", 1))));
    }

    private static Map<String, Object> condition(String type, String status, String reason, String message) {
        Map<String, Object> c = new java.util.LinkedHashMap<>();
        c.put("type", type);
        c.put("status", status);
        c.put("lastTransitionTime", Instant.now().toString());
        if (reason != null) {
            c.put("reason", reason);
            c.put("message", message);
        }
        return c;
    }

    private static void writeStatus(GenericKubernetesResource isvc, Map<String, Object> status) {
        isvc.getAdditionalProperties().put("status", status);
        assertThat(KServeSchemas.violations(Serialization.asJson(isvc))).as("status as KServe writes it").isEmpty();
        kube().genericKubernetesResources(KServeObjects.INFERENCE_SERVICE)
                .inNamespace(isvc.getMetadata().getNamespace())
                .resource(isvc)
                .updateStatus();
    }

    /** Validates every InferenceService and ServingRuntime in the cluster against its CRD schema. */
    public static void assertEverythingWrittenIsValid() {
        List<GenericKubernetesResource> objects = new java.util.ArrayList<>();
        objects.addAll(kube().genericKubernetesResources(KServeObjects.INFERENCE_SERVICE)
                .inAnyNamespace()
                .list()
                .getItems());
        objects.addAll(kube().genericKubernetesResources(KServeObjects.SERVING_RUNTIME)
                .inAnyNamespace()
                .list()
                .getItems());
        assertThat(objects).isNotEmpty();
        for (GenericKubernetesResource object : objects) {
            assertThat(KServeSchemas.violations(Serialization.asJson(object)))
                    .as(object.getKind() + " " + object.getMetadata().getNamespace() + "/"
                            + object.getMetadata().getName())
                    .isEmpty();
        }
    }
}
