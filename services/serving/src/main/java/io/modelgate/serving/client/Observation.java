package io.modelgate.serving.client;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.modelgate.serving.domain.Phase;

/**
 * What one managed InferenceService shows, read from its labels, annotations and the status the KServe controller
 * writes: Ready with {@code status.url} and {@code status.address.url}, or a failure from
 * {@code status.modelStatus.lastFailureInfo} or a False condition.
 *
 * @param deleted the object is gone (informer delete)
 */
public record Observation(String namespace, String name, String kind, UUID id, boolean deleted, Phase phase,
        String reason, String message, String url, String internalUrl, Integer replicas, Integer failedReplicas,
        String failureReason, String failureMessage, Instant failureAt, String digest, String versionId,
        String version) {

    public String key() {
        return namespace + "/" + name;
    }

    /** Reads a managed InferenceService; null when it carries no Modelgate id. */
    @SuppressWarnings("unchecked")
    public static Observation of(GenericKubernetesResource isvc, boolean deleted) {
        Map<String, String> labels = orEmpty(isvc.getMetadata().getLabels());
        Map<String, String> annotations = orEmpty(isvc.getMetadata().getAnnotations());
        UUID id;
        try {
            id = UUID.fromString(labels.getOrDefault(KServeObjects.LABEL_ID, ""));
        } catch (IllegalArgumentException e) {
            return null;
        }
        Map<String, Object> status = map(isvc.getAdditionalProperties().get("status"));
        String url = string(status.get("url"));
        String internalUrl = string(map(status.get("address")).get("url"));
        Map<String, Object> modelStatus = map(status.get("modelStatus"));
        Map<String, Object> failure = map(modelStatus.get("lastFailureInfo"));
        Map<String, Object> copies = map(modelStatus.get("copies"));
        Integer replicas = integer(copies.get("totalCopies"));
        Integer failed = integer(copies.get("failedCopies"));
        String failureReason = string(failure.get("reason"));
        String failureMessage = string(failure.get("message"));
        Instant failureAt = instant(failure.get("time"));

        Phase phase;
        String reason = null;
        String message = null;
        Map<String, Object> ready = null;
        Map<String, Object> falseCondition = null;
        for (Object c : (List<Object>) status.getOrDefault("conditions", List.of())) {
            Map<String, Object> condition = map(c);
            if ("Ready".equals(condition.get("type"))) {
                ready = condition;
            }
            if ("False".equals(condition.get("status")) && falseCondition == null) {
                falseCondition = condition;
            }
        }
        if (ready != null && "False".equals(ready.get("status"))) {
            falseCondition = ready;
        }
        Long generation = isvc.getMetadata().getGeneration();
        Long observedGeneration = longValue(status.get("observedGeneration"));
        String transition = string(modelStatus.get("transitionStatus"));
        if ("true".equalsIgnoreCase(annotations.get(KServeObjects.STOP))) {
            phase = Phase.STOPPED;
            reason = "Stopped";
            message = "Stopped with " + KServeObjects.STOP;
        } else if (observedGeneration != null && generation != null && observedGeneration < generation) {
            phase = Phase.PENDING;
            reason = "RolloutInProgress";
            message = "The controller has not observed generation " + generation + " yet";
        } else if (ready != null && "True".equals(ready.get("status")) && url != null && internalUrl != null) {
            phase = Phase.READY;
        } else if (failureReason != null) {
            phase = Phase.FAILED;
            reason = failureReason;
            message = failureMessage;
        } else if ("BlockedByFailedLoad".equals(transition) || "InvalidSpec".equals(transition)) {
            phase = Phase.FAILED;
            reason = transition;
        } else if (falseCondition != null) {
            phase = Phase.FAILED;
            reason = string(falseCondition.get("reason"));
            if (reason == null) {
                reason = condition(falseCondition) + "False";
            }
            message = string(falseCondition.get("message"));
        } else {
            phase = Phase.PENDING;
        }
        return new Observation(isvc.getMetadata().getNamespace(), isvc.getMetadata().getName(),
                labels.get(KServeObjects.LABEL_KIND), id, deleted, phase, reason, message, url, internalUrl, replicas,
                failed, failureReason, failureMessage, failureAt, annotations.get(KServeObjects.ANNOTATION_DIGEST),
                annotations.get(KServeObjects.ANNOTATION_VERSION_ID),
                annotations.get(KServeObjects.ANNOTATION_VERSION));
    }

    private static String condition(Map<String, Object> condition) {
        return String.valueOf(condition.get("type"));
    }

    private static <K, V> Map<K, V> orEmpty(Map<K, V> map) {
        return map == null ? Map.of() : map;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return value instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    private static String string(Object value) {
        return value == null || value.toString().isEmpty() ? null : value.toString();
    }

    private static Integer integer(Object value) {
        return value instanceof Number n ? n.intValue() : null;
    }

    private static Long longValue(Object value) {
        return value instanceof Number n ? n.longValue() : null;
    }

    private static Instant instant(Object value) {
        if (value == null) {
            return null;
        }
        try {
            return Instant.parse(value.toString());
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
