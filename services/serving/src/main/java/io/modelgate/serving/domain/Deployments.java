package io.modelgate.serving.domain;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.transaction.Transactional;
import jakarta.transaction.Transactional.TxType;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Quantity;
import io.modelgate.events.ModelRevoked;
import io.modelgate.platform.problem.ProblemException;
import io.modelgate.serving.client.KServeClient;
import io.modelgate.serving.client.KServeObjects;
import io.modelgate.serving.client.KubeException;
import io.modelgate.serving.config.ServingConfig;
import io.modelgate.serving.config.ServingConfig.RevocationAction;
import io.modelgate.serving.persistence.DeploymentRepository;
import io.modelgate.serving.persistence.ExternalServiceRepository;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * Deployments of approved model versions: validation of what an operator asks for, the desired state in the
 * database, and what a revocation does. The writer brings the cluster to the desired state after commit.
 */
@ApplicationScoped
public class Deployments {

    public static final Set<String> RUNTIMES = Set.of("vllm", "tensorrt-llm", "custom", "container");
    public static final Set<String> MODES = Set.of("RawDeployment", "Serverless");
    public static final Set<String> VISIBILITIES = Set.of("internal", "external");
    /** KServe's scale metrics; HPA (RawDeployment) scales on cpu and memory only. */
    public static final Set<String> METRICS = Set.of("cpu", "memory", "concurrency", "rps");

    private final DeploymentRepository deployments;
    private final ExternalServiceRepository externals;
    private final ApprovedSet approved;
    private final Registrations registrations;
    private final KServeClient kube;
    private final ServingConfig config;
    private final Event<WritesPending> writesPending;

    public Deployments(DeploymentRepository deployments, ExternalServiceRepository externals, ApprovedSet approved,
            Registrations registrations, KServeClient kube, ServingConfig config, Event<WritesPending> writesPending) {
        this.deployments = deployments;
        this.externals = externals;
        this.approved = approved;
        this.registrations = registrations;
        this.kube = kube;
        this.config = config;
        this.writesPending = writesPending;
    }

    public String namespaceOrDefault(String namespace) {
        if (namespace != null && !namespace.isBlank()) {
            return namespace;
        }
        return config.defaultNamespace().filter(n -> !n.isBlank()).orElseGet(kube::clientNamespace);
    }

    /** Records a new deployment (not yet written to the cluster); 403/404/400/409 for what cannot be deployed. */
    public Deployment create(String namespace, String name, DeploymentSpec spec, String user) {
        String customFormat = checkCluster(namespace, name, spec, null);
        return QuarkusTransaction.requiringNew().call(() -> {
            if (deployments.byName(namespace, name).isPresent() || externals.byName(namespace, name).isPresent()) {
                throw ProblemException.conflict("A service named " + namespace + "/" + name + " already exists");
            }
            Deployment d = new Deployment();
            d.id = UUID.randomUUID();
            d.namespace = namespace;
            d.name = name;
            d.createdAt = Instant.now();
            d.createdBy = user;
            apply(d, spec, customFormat, user);
            d.specRevision = 1;
            deployments.persist(d);
            return d;
        });
    }

    /** Rolls a deployment out to a new spec (version, runtime, resources, scaling, endpoint). */
    public Deployment update(String namespace, String name, DeploymentSpec spec, String user) {
        Deployment current = QuarkusTransaction.requiringNew().call(() -> find(namespace, name));
        String customFormat = checkCluster(namespace, name, spec, current.id);
        return QuarkusTransaction.requiringNew().call(() -> {
            Deployment d = find(namespace, name);
            if (d.deleting) {
                throw ProblemException.conflict("Deployment " + d.serviceId() + " is being deleted");
            }
            apply(d, spec, customFormat, user);
            d.stopped = false;
            d.specRevision++;
            return d;
        });
    }

    /** Marks a deployment for deletion and announces it out of service, in one transaction. */
    public Deployment delete(String namespace, String name, String user) {
        return QuarkusTransaction.requiringNew().call(() -> {
            Deployment d = find(namespace, name);
            if (!d.deleting) {
                registrations.deregister(d, "deleted by operator " + user);
                markDeleting(d, user);
            }
            return d;
        });
    }

    /** Takes every deployment of a revoked digest out of service: deleted or stopped, as configured. */
    @Transactional(TxType.MANDATORY)
    public List<Deployment> revoked(ModelRevoked event) {
        List<Deployment> affected = deployments.byDigest(event.digest()).stream().filter(d -> !d.deleting).toList();
        for (Deployment d : affected) {
            registrations.deregister(d, "revoked: " + event.reason());
            if (config.revocationAction() == RevocationAction.DELETE) {
                markDeleting(d, event.revokedBy());
            } else if (!d.stopped) {
                d.stopped = true;
                d.specRevision++;
                d.state.phase = Phase.STOPPED;
                d.state.statusReason = "Revoked";
                d.state.statusMessage = "Approval revoked by " + event.revokedBy() + ": " + event.reason();
                d.state.nextWriteAt = null;
                d.updatedAt = Instant.now();
                d.updatedBy = event.revokedBy();
            }
        }
        if (!affected.isEmpty()) {
            writesPending.fire(new WritesPending());
        }
        return affected;
    }

    public Deployment find(String namespace, String name) {
        return deployments.byName(namespace, name)
                .orElseThrow(
                        () -> ProblemException.notFound("No deployment " + namespace + "/" + name));
    }

    private static void markDeleting(Deployment d, String user) {
        d.deleting = true;
        d.state.phase = Phase.DELETING;
        d.state.statusReason = null;
        d.state.statusMessage = null;
        d.state.nextWriteAt = null;
        d.state.writeAttempts = 0;
        d.updatedAt = Instant.now();
        d.updatedBy = user;
    }

    /**
     * What only the cluster can answer, asked before the transaction: a custom runtime must exist (its first model
     * format is the default), and an InferenceService of that name must not belong to someone else. When the API
     * server cannot be reached the checks are left to the write, which fails visibly.
     */
    private String checkCluster(String namespace, String name, DeploymentSpec spec, UUID ownId) {
        if (spec.runtime() == null || !RUNTIMES.contains(spec.runtime())) {
            throw ProblemException.badRequest("Unknown runtime '" + spec.runtime() + "'; expected one of "
                    + List.of("vllm", "tensorrt-llm", "custom", "container"));
        }
        String format = null;
        try {
            if ("custom".equals(spec.runtime())) {
                if (spec.servingRuntime() == null || spec.servingRuntime().isBlank()) {
                    throw ProblemException.badRequest("runtime 'custom' needs servingRuntime: the name of a "
                            + "ServingRuntime in " + namespace + " or of a ClusterServingRuntime");
                }
                Optional<GenericKubernetesResource> runtime = kube
                        .get(KServeObjects.SERVING_RUNTIME, namespace, spec.servingRuntime())
                        .or(() -> kube.get(KServeObjects.CLUSTER_SERVING_RUNTIME, null, spec.servingRuntime()));
                if (runtime.isEmpty()) {
                    throw ProblemException.badRequest("Unknown runtime: no ServingRuntime " + namespace + "/"
                            + spec.servingRuntime() + " and no ClusterServingRuntime " + spec.servingRuntime());
                }
                format = firstModelFormat(runtime.get());
            }
            // A rollout's object is ours by definition; if someone took it over, the write says so and retries.
            Optional<GenericKubernetesResource> existing = ownId != null
                    ? Optional.empty()
                    : kube.get(KServeObjects.INFERENCE_SERVICE, namespace, name);
            if (existing.isPresent()) {
                throw ProblemException.conflict("An InferenceService " + namespace + "/" + name
                        + " already exists and is not managed by Modelgate");
            }
        } catch (KubeException e) {
            if ("custom".equals(spec.runtime())) {
                throw new ProblemException(503, "Service Unavailable",
                        "Cannot check the custom runtime: " + e.getMessage());
            }
        }
        return format;
    }

    @SuppressWarnings("unchecked")
    private static String firstModelFormat(GenericKubernetesResource runtime) {
        Object spec = runtime.getAdditionalProperties().get("spec");
        if (spec instanceof Map<?, ?> m && m.get("supportedModelFormats") instanceof List<?> formats
                && !formats.isEmpty() && formats.get(0) instanceof Map<?, ?> first && first.get("name") != null) {
            return first.get("name").toString();
        }
        return null;
    }

    private void apply(Deployment d, DeploymentSpec spec, String customFormat, String user) {
        if (spec.versionId() == null && spec.digest() == null) {
            throw ProblemException.badRequest("Name the model version: versionId or digest");
        }
        ApprovedVersion v = approved.requireDeployable(spec.versionId(), spec.digest());
        d.versionId = v.versionId;
        d.modelName = v.modelName;
        d.modelVersion = v.version;
        d.digest = v.digest;
        d.imageReference = v.imageReference;
        d.runtime = spec.runtime();
        switch (spec.runtime()) {
            case "vllm" -> {
                d.servingRuntime = config.runtimes().vllm().servingRuntime();
                d.modelFormat = config.runtimes().vllm().modelFormat();
            }
            case "tensorrt-llm" -> {
                d.servingRuntime = config.runtimes().tensorrtLlm().servingRuntime();
                d.modelFormat = "tensorrt-llm";
            }
            case "custom" -> {
                d.servingRuntime = spec.servingRuntime();
                d.modelFormat = spec.modelFormat() != null ? spec.modelFormat() : customFormat;
                if (d.modelFormat == null) {
                    throw ProblemException.badRequest("ServingRuntime " + spec.servingRuntime()
                            + " lists no supported model format; give modelFormat");
                }
            }
            default -> {
                d.servingRuntime = null;
                d.modelFormat = null;
            }
        }

        d.gpuCount = spec.gpuCount() != null ? spec.gpuCount() : v.gpuCount;
        d.gpuType = spec.gpuType() != null ? spec.gpuType() : v.gpuType;
        d.cpu = quantity("resources.cpu", spec.cpu() != null ? spec.cpu() : v.cpu);
        d.memory = quantity("resources.memory", spec.memory() != null ? spec.memory() : v.memory);
        if (d.gpuCount != null && d.gpuCount < 0) {
            throw ProblemException.badRequest("resources.gpuCount must not be negative");
        }
        if (d.gpuType != null && (d.gpuType.isBlank() || !d.gpuType.equals(KServeObjects.labelValue(d.gpuType)))) {
            throw ProblemException.badRequest("resources.gpuType '" + d.gpuType
                    + "' is not a valid node label value");
        }

        d.deploymentMode = spec.deploymentMode() != null ? spec.deploymentMode() : "RawDeployment";
        if (!MODES.contains(d.deploymentMode)) {
            throw ProblemException.badRequest("Unknown deploymentMode '" + d.deploymentMode + "'; expected one of "
                    + List.of("RawDeployment", "Serverless"));
        }
        d.minReplicas = spec.minReplicas();
        d.maxReplicas = spec.maxReplicas();
        d.scaleMetric = spec.scaleMetric();
        d.scaleTarget = spec.scaleTarget();
        boolean serverless = "Serverless".equals(d.deploymentMode);
        if (d.minReplicas != null && d.minReplicas < (serverless ? 0 : 1)) {
            throw ProblemException.badRequest(serverless
                    ? "scaling.minReplicas must not be negative"
                    : "scaling.minReplicas must be at least 1: scale to zero needs deploymentMode Serverless");
        }
        if (d.maxReplicas != null && d.maxReplicas < Math.max(1, d.minReplicas == null ? 1 : d.minReplicas)) {
            throw ProblemException.badRequest("scaling.maxReplicas must be at least 1 and at least minReplicas");
        }
        if (d.scaleMetric != null && !METRICS.contains(d.scaleMetric)) {
            throw ProblemException.badRequest("Unknown scaling.scaleMetric '" + d.scaleMetric + "'; expected one of "
                    + List.of("cpu", "memory", "concurrency", "rps"));
        }
        if (d.scaleMetric != null && !serverless && !Set.of("cpu", "memory").contains(d.scaleMetric)) {
            throw ProblemException.badRequest("scaling.scaleMetric '" + d.scaleMetric
                    + "' needs deploymentMode Serverless; RawDeployment scales on cpu or memory");
        }
        if (d.scaleTarget != null && d.scaleTarget < 1) {
            throw ProblemException.badRequest("scaling.scaleTarget must be at least 1");
        }

        d.visibility = spec.visibility() != null ? spec.visibility() : "internal";
        if (!VISIBILITIES.contains(d.visibility)) {
            throw ProblemException.badRequest("Unknown endpoint.visibility '" + d.visibility
                    + "'; expected internal or external");
        }
        d.authEnabled = spec.auth() == null || spec.auth();
        d.updatedAt = Instant.now();
        d.updatedBy = user;
        if (d.specRevision == 0) {
            d.state.phase = Phase.PENDING;
        }
        // The request writes the object itself; the background retry waits a little before it would step in.
        d.state.nextWriteAt = Instant.now().plusSeconds(30);
        d.state.writeAttempts = 0;
    }

    /** A Kubernetes quantity, or 400 naming the field. */
    static String quantity(String field, String value) {
        if (value == null) {
            return null;
        }
        try {
            Quantity quantity = new Quantity(value);
            if (Quantity.getAmountInBytes(quantity).signum() <= 0) {
                throw ProblemException.badRequest(field + " must be positive: '" + value + "'");
            }
            if (!value.equals(value.trim()) || value.isEmpty()) {
                throw new IllegalArgumentException();
            }
            return value;
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw ProblemException.badRequest(field + " '" + value + "' is not a Kubernetes quantity (e.g. 500m, 4, "
                    + "16Gi)");
        }
    }
}
