package io.modelgate.serving.client;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.modelgate.serving.config.ServingConfig;

/**
 * The Kubernetes API calls serving makes: create-or-update by stable name (never taking over an object it does not
 * own), deletes that treat "already gone" as done, and Secrets. Transient failures are retried with backoff; what is
 * left is a {@link KubeException} with a message safe to show.
 */
@ApplicationScoped
public class KServeClient {

    private static final Logger LOG = Logger.getLogger(KServeClient.class);

    /** Kubernetes API calls that failed after their retries. */
    public static final String ERRORS = "modelgate.serving.kubernetes.errors";

    private final KubernetesClient client;
    private final ServingConfig config;
    private final MeterRegistry meters;

    public KServeClient(KubernetesClient client, ServingConfig config, MeterRegistry meters) {
        this.client = client;
        this.config = config;
        this.meters = meters;
    }

    /** The namespace of the Kubernetes client's configuration. */
    public String clientNamespace() {
        String namespace = client.getNamespace();
        return namespace == null ? "default" : namespace;
    }

    public KubernetesClient client() {
        return client;
    }

    /**
     * Creates or replaces {@code desired}; refuses to overwrite an object of the same name that is not labelled with
     * {@code ownerId} (a 409 {@link KubeException}).
     */
    public GenericKubernetesResource apply(ResourceDefinitionContext context, GenericKubernetesResource desired,
            UUID ownerId) {
        String namespace = desired.getMetadata().getNamespace();
        String name = desired.getMetadata().getName();
        return retrying("write", context.getKind(), namespace + "/" + name, () -> {
            var resources = client.genericKubernetesResources(context).inNamespace(namespace);
            GenericKubernetesResource existing = resources.withName(name).get();
            if (existing == null) {
                return resources.resource(desired).create();
            }
            if (ownerId != null && !owned(existing, ownerId)) {
                throw new KubeException(context.getKind() + " " + namespace + "/" + name
                        + " already exists and is not managed by this Modelgate service", 409, null);
            }
            desired.getMetadata().setResourceVersion(existing.getMetadata().getResourceVersion());
            return resources.resource(desired).update();
        });
    }

    /** Deletes an object; true once it is gone (including when it was never there). */
    public void delete(ResourceDefinitionContext context, String namespace, String name) {
        retrying("delete", context.getKind(), namespace + "/" + name, () -> {
            client.genericKubernetesResources(context).inNamespace(namespace).withName(name).delete();
            return null;
        });
    }

    public Optional<GenericKubernetesResource> get(ResourceDefinitionContext context, String namespace, String name) {
        return Optional.ofNullable(retrying("read", context.getKind(), namespace + "/" + name, () -> {
            var resources = client.genericKubernetesResources(context);
            return context.isNamespaceScoped()
                    ? resources.inNamespace(namespace).withName(name).get()
                    : resources.withName(name).get();
        }));
    }

    /** Whether an object carries the Modelgate owner labels of {@code ownerId}. */
    public static boolean owned(GenericKubernetesResource object, UUID ownerId) {
        Map<String, String> labels = object.getMetadata().getLabels();
        return labels != null && KServeObjects.MANAGED_BY_VALUE.equals(labels.get(KServeObjects.MANAGED_BY))
                && ownerId.toString().equals(labels.get(KServeObjects.LABEL_ID));
    }

    /** Creates or replaces the provider key Secret; the key is in no message, log line or exception. */
    public void writeSecret(String namespace, String name, UUID ownerId, String apiKey) {
        Secret secret = new SecretBuilder().withNewMetadata()
                .withName(name)
                .withNamespace(namespace)
                .addToLabels(KServeObjects.MANAGED_BY, KServeObjects.MANAGED_BY_VALUE)
                .addToLabels(KServeObjects.LABEL_ID, ownerId.toString())
                .endMetadata()
                .withType("Opaque")
                .addToData(KServeObjects.SECRET_KEY,
                        Base64.getEncoder().encodeToString(apiKey.getBytes(StandardCharsets.UTF_8)))
                .build();
        retrying("write", "Secret", namespace + "/" + name, () -> {
            var secrets = client.secrets().inNamespace(namespace);
            Secret existing = secrets.withName(name).get();
            if (existing == null) {
                return secrets.resource(secret).create();
            }
            Map<String, String> labels = existing.getMetadata().getLabels();
            if (labels == null || !ownerId.toString().equals(labels.get(KServeObjects.LABEL_ID))) {
                throw new KubeException("Secret " + namespace + "/" + name
                        + " already exists and is not managed by this Modelgate service", 409, null);
            }
            secret.getMetadata().setResourceVersion(existing.getMetadata().getResourceVersion());
            return secrets.resource(secret).update();
        });
    }

    /** The provider key from its Secret, or empty if the Secret or its key is missing. */
    public Optional<String> readSecretKey(String namespace, String name) {
        Secret secret = retrying("read", "Secret", namespace + "/" + name,
                () -> client.secrets().inNamespace(namespace).withName(name).get());
        if (secret == null || secret.getData() == null || !secret.getData().containsKey(KServeObjects.SECRET_KEY)) {
            return Optional.empty();
        }
        return Optional.of(new String(Base64.getDecoder().decode(secret.getData().get(KServeObjects.SECRET_KEY)),
                StandardCharsets.UTF_8));
    }

    public void deleteSecret(String namespace, String name) {
        retrying("delete", "Secret", namespace + "/" + name, () -> {
            client.secrets().inNamespace(namespace).withName(name).delete();
            return null;
        });
    }

    /**
     * Runs {@code call} ({@code operation} on the {@code kind} object {@code target}) up to the configured attempts,
     * backing off between tries on errors worth retrying (API server unreachable, 409 conflicts of concurrent writers,
     * 429, 5xx). A call that fails in the end counts in {@code modelgate.serving.kubernetes.errors}.
     */
    public <T> T retrying(String operation, String kind, String target, Supplier<T> call) {
        String what = operation + " " + kind + " " + target;
        int attempts = Math.max(1, config.kubernetes().inlineAttempts());
        for (int attempt = 1;; attempt++) {
            try {
                return call.get();
            } catch (KubeException e) {
                throw counted(operation, kind, e);
            } catch (KubernetesClientException e) {
                int code = e.getCode();
                boolean retryable = code == 0 || code == 409 || code == 429 || code >= 500;
                if (!retryable || attempt >= attempts) {
                    throw counted(operation, kind, new KubeException("Kubernetes API: " + what + " failed" + (code == 0
                            ? " (unreachable)"
                            : " with HTTP " + code) + reason(e), code, e));
                }
                LOG.debugf("Kubernetes API: %s failed (attempt %d/%d, HTTP %d), retrying", what, attempt, attempts,
                        code);
                sleep(backoff(attempt));
            }
        }
    }

    /** Counts a call that failed after its retries; tags are bounded (operation, kind, HTTP status or 0). */
    private KubeException counted(String operation, String kind, KubeException e) {
        Counter.builder(ERRORS)
                .description("Kubernetes API calls that failed after their retries, by operation, object kind and HTTP"
                        + " status (0: API server unreachable)")
                .tag("operation", operation)
                .tag("kind", kind)
                .tag("code", Integer.toString(e.code()))
                .register(meters)
                .increment();
        return e;
    }

    /** The backoff before attempt {@code attempt + 1}: doubling from the initial backoff, capped. */
    public Duration backoff(int attempt) {
        long initial = config.kubernetes().initialBackoff().toMillis();
        long max = config.kubernetes().maxBackoff().toMillis();
        return Duration.ofMillis(Math.min(max, initial << Math.min(attempt - 1, 20)));
    }

    private static String reason(KubernetesClientException e) {
        if (e.getStatus() != null && e.getStatus().getMessage() != null) {
            return ": " + e.getStatus().getMessage();
        }
        return e.getCause() != null ? ": " + e.getCause().getClass().getSimpleName() : "";
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted between Kubernetes API attempts", e);
        }
    }
}
