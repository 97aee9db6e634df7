package io.modelgate.serving.domain;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.modelgate.events.FunctionType;
import io.modelgate.platform.problem.ProblemException;
import io.modelgate.serving.client.KServeClient;
import io.modelgate.serving.client.KServeObjects;
import io.modelgate.serving.client.KubeException;
import io.modelgate.serving.client.ProviderHealthCheck;
import io.modelgate.serving.persistence.DeploymentRepository;
import io.modelgate.serving.persistence.ExternalServiceRepository;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;

/**
 * External inference services: the provider key goes into a Kubernetes Secret and nowhere else, the managed proxy
 * is deployed to reach the provider with it, and the provider's health is checked at registration, on edit and on a
 * schedule.
 */
@ApplicationScoped
public class ExternalServices {

    public static final Set<String> PROVIDERS = Set.of("openai", "bedrock", "nim", "openai-compatible");
    public static final String DEREGISTER_WARNING = "AIDB pipelines that use this service's models will fail from now "
            + "on: model-sync removes them from AIDB";

    private static final Logger LOG = Logger.getLogger(ExternalServices.class);

    private final ExternalServiceRepository externals;
    private final DeploymentRepository deployments;
    private final Registrations registrations;
    private final KServeClient kube;
    private final ProviderHealthCheck healthCheck;

    public ExternalServices(ExternalServiceRepository externals, DeploymentRepository deployments,
            Registrations registrations, KServeClient kube, ProviderHealthCheck healthCheck) {
        this.externals = externals;
        this.deployments = deployments;
        this.registrations = registrations;
        this.kube = kube;
        this.healthCheck = healthCheck;
    }

    /** Registers an external service: Secret first (nothing is recorded if it cannot be stored), then the row. */
    public ExternalService register(String namespace, String name, ExternalSpec spec, String apiKey, String user) {
        validate(spec);
        if (apiKey == null || apiKey.isBlank()) {
            throw ProblemException.badRequest("apiKey is required to register an external service");
        }
        if (QuarkusTransaction.requiringNew()
                .call(() -> deployments.byName(namespace, name).isPresent()
                        || externals.byName(namespace, name).isPresent())) {
            throw ProblemException.conflict("A service named " + namespace + "/" + name + " already exists");
        }
        try {
            if (kube.get(KServeObjects.INFERENCE_SERVICE, namespace, name).isPresent()) {
                throw ProblemException.conflict("An InferenceService " + namespace + "/" + name
                        + " already exists and is not managed by Modelgate");
            }
        } catch (KubeException e) {
            // Checked again by the write, which refuses to take over an object it does not own.
        }
        UUID id = UUID.randomUUID();
        String secretName = KServeObjects.secretName(name);
        storeKey(namespace, secretName, id, apiKey);
        ProviderHealthCheck.Result health = healthCheck.check(spec.endpointUrl(), apiKey);
        return QuarkusTransaction.requiringNew().call(() -> {
            if (externals.byName(namespace, name).isPresent()) {
                throw ProblemException.conflict("A service named " + namespace + "/" + name + " already exists");
            }
            ExternalService e = new ExternalService();
            e.id = id;
            e.namespace = namespace;
            e.name = name;
            e.secretName = secretName;
            e.createdAt = Instant.now();
            e.createdBy = user;
            apply(e, spec, user);
            e.specRevision = 1;
            health(e, health);
            externals.persist(e);
            return e;
        });
    }

    /** Edits an external service; a new key replaces the Secret's, no key keeps it. */
    public ExternalService edit(String namespace, String name, ExternalSpec spec, String apiKey, String user) {
        validate(spec);
        ExternalService current = QuarkusTransaction.requiringNew().call(() -> find(namespace, name));
        if (current.deleting) {
            throw ProblemException.conflict("External service " + current.serviceId() + " is being deregistered");
        }
        if (apiKey != null && !apiKey.isBlank()) {
            storeKey(namespace, current.secretName, current.id, apiKey);
        }
        ProviderHealthCheck.Result health = check(namespace, current.secretName, spec.endpointUrl(), apiKey);
        return QuarkusTransaction.requiringNew().call(() -> {
            ExternalService e = find(namespace, name);
            apply(e, spec, user);
            e.specRevision++;
            health(e, health);
            return e;
        });
    }

    /** Deregisters: announced out of service now; the writer removes the InferenceService and the Secret. */
    public ExternalService deregister(String namespace, String name, String user) {
        return QuarkusTransaction.requiringNew().call(() -> {
            ExternalService e = find(namespace, name);
            if (!e.deleting) {
                registrations.deregister(e, "deregistered by operator " + user);
                e.deleting = true;
                e.state.phase = Phase.DELETING;
                e.state.nextWriteAt = null;
                e.state.writeAttempts = 0;
                e.updatedAt = Instant.now();
                e.updatedBy = user;
            }
            return e;
        });
    }

    /** Checks one service's provider now, with the key read back from its Secret. */
    public ExternalService checkHealth(String namespace, String name) {
        ExternalService current = QuarkusTransaction.requiringNew().call(() -> find(namespace, name));
        ProviderHealthCheck.Result health = check(namespace, current.secretName, current.endpointUrl, null);
        return QuarkusTransaction.requiringNew().call(() -> {
            ExternalService e = find(namespace, name);
            health(e, health);
            return e;
        });
    }

    /** The scheduled health check of every external service. */
    @Scheduled(every = "${modelgate.serving.external.health-interval}", delayed = "${modelgate.serving.external"
            + ".health-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void checkAll() {
        List<ExternalService> all = QuarkusTransaction.requiringNew().call(externals::all);
        for (ExternalService e : all) {
            if (e.deleting) {
                continue;
            }
            try {
                checkHealth(e.namespace, e.name);
            } catch (RuntimeException ex) {
                LOG.warnf("Health check of %s failed: %s", e.serviceId(), ex.getClass().getSimpleName());
            }
        }
    }

    public ExternalService find(String namespace, String name) {
        return externals.byName(namespace, name)
                .orElseThrow(
                        () -> ProblemException.notFound("No external service " + namespace + "/" + name));
    }

    private ProviderHealthCheck.Result check(String namespace, String secretName, String endpointUrl,
            String apiKey) {
        if (apiKey != null && !apiKey.isBlank()) {
            return healthCheck.check(endpointUrl, apiKey);
        }
        Optional<String> key;
        try {
            key = kube.readSecretKey(namespace, secretName);
        } catch (KubeException e) {
            return new ProviderHealthCheck.Result(Health.UNKNOWN, "provider key Secret unreadable: " + e.getMessage());
        }
        return key.map(k -> healthCheck.check(endpointUrl, k))
                .orElseGet(() -> new ProviderHealthCheck.Result(Health.UNKNOWN,
                        "provider key Secret " + namespace + "/" + secretName + " is missing"));
    }

    private void storeKey(String namespace, String secretName, UUID id, String apiKey) {
        try {
            kube.writeSecret(namespace, secretName, id, apiKey);
        } catch (KubeException e) {
            // The key exists only in this request: without the Secret there is nothing to retry later.
            throw new ProblemException(503, "Service Unavailable",
                    "The provider key could not be stored in a Kubernetes Secret; nothing was registered. "
                            + e.getMessage());
        }
    }

    private static void health(ExternalService e, ProviderHealthCheck.Result result) {
        e.health = result.health();
        e.healthMessage = result.message();
        e.healthCheckedAt = Instant.now();
    }

    private static void apply(ExternalService e, ExternalSpec spec, String user) {
        e.provider = spec.provider();
        e.endpointUrl = spec.endpointUrl();
        e.modelName = spec.modelName();
        e.apiVersion = spec.apiVersion();
        List<FunctionType> types = spec.functionTypes() == null || spec.functionTypes().isEmpty()
                ? List.of(FunctionType.CHAT)
                : spec.functionTypes();
        e.functionTypes = types.stream().map(FunctionType::name).collect(Collectors.joining(","));
        e.visibility = spec.visibility() == null ? "internal" : spec.visibility();
        e.updatedAt = Instant.now();
        e.updatedBy = user;
        if (e.specRevision == 0) {
            e.state.phase = Phase.PENDING;
        }
        e.state.nextWriteAt = Instant.now().plusSeconds(30);
        e.state.writeAttempts = 0;
    }

    private static void validate(ExternalSpec spec) {
        if (spec.provider() == null || !PROVIDERS.contains(spec.provider())) {
            throw ProblemException.badRequest("Unknown provider '" + spec.provider() + "'; expected one of "
                    + List.of("openai", "bedrock", "nim", "openai-compatible"));
        }
        if (spec.visibility() != null && !Deployments.VISIBILITIES.contains(spec.visibility())) {
            throw ProblemException.badRequest("Unknown visibility '" + spec.visibility()
                    + "'; expected internal or external");
        }
        try {
            URI uri = new URI(spec.endpointUrl());
            if (!("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) || uri.getHost() == null
                    || uri.getUserInfo() != null || uri.getQuery() != null) {
                throw new URISyntaxException(spec.endpointUrl(), "not an absolute http(s) URL");
            }
        } catch (URISyntaxException | NullPointerException e) {
            throw ProblemException.badRequest("endpointUrl must be an absolute http(s) URL without credentials or "
                    + "query, e.g. https://api.openai.com/v1");
        }
        if (spec.functionTypes() != null && spec.functionTypes().contains(FunctionType.UNKNOWN)) {
            throw ProblemException.badRequest("Unknown function type");
        }
    }
}
