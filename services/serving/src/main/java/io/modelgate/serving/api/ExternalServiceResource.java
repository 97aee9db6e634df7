package io.modelgate.serving.api;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.transaction.Transactional;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.modelgate.events.FunctionType;
import io.modelgate.platform.problem.ProblemException;
import io.modelgate.platform.security.Roles;
import io.modelgate.serving.domain.ExternalService;
import io.modelgate.serving.domain.ExternalServices;
import io.modelgate.serving.domain.ExternalSpec;
import io.modelgate.serving.domain.Health;
import io.modelgate.serving.domain.KubernetesWriter;
import io.modelgate.serving.messaging.InferenceServiceWatcher;
import io.modelgate.serving.persistence.ExternalServiceRepository;
import io.quarkus.security.identity.SecurityIdentity;

/**
 * External inference services (OpenAI, AWS Bedrock, NVIDIA NIM, any OpenAI-compatible API) behind the managed proxy.
 * The API key goes into a Kubernetes Secret only: it is never stored, logged, announced or returned.
 */
@Path("/api/v1/external-services")
@Tag(name = "External inference services")
public class ExternalServiceResource {

    /** A key goes into an HTTP header: visible ASCII only, so a stray newline is a 400, not a failed request. */
    static final String API_KEY = "[\\x21-\\x7e]*";
    static final String API_KEY_MESSAGE = "must be printable ASCII without spaces or line breaks";

    /** A registration; {@code apiKey} is write-only. */
    public record RegisterBody(@NotBlank @Size(max = 45) @Pattern(regexp = DeploymentResource.NAME) String name,
            @Size(max = 63) @Pattern(regexp = DeploymentResource.NAMESPACE) String namespace,
            @NotBlank String provider, @NotBlank @Size(max = 2048) String endpointUrl,
            @NotBlank @Size(max = 255) String modelName, @Size(max = 64) String apiVersion,
            List<FunctionType> functionTypes, String visibility,
            @NotBlank @Size(max = 8192) @Pattern(regexp = API_KEY, message = API_KEY_MESSAGE) String apiKey) {

        ExternalSpec spec() {
            return new ExternalSpec(provider, endpointUrl, modelName, apiVersion, functionTypes, visibility);
        }

        @Override
        public String toString() {
            return "RegisterBody[name=" + name + ", provider=" + provider + ", apiKey=***]";
        }
    }

    /** An edit: the whole spec; {@code apiKey} only to replace the key. */
    public record EditBody(@NotBlank String provider, @NotBlank @Size(max = 2048) String endpointUrl,
            @NotBlank @Size(max = 255) String modelName, @Size(max = 64) String apiVersion,
            List<FunctionType> functionTypes, String visibility,
            @Size(max = 8192) @Pattern(regexp = API_KEY, message = API_KEY_MESSAGE) String apiKey) {

        ExternalSpec spec() {
            return new ExternalSpec(provider, endpointUrl, modelName, apiVersion, functionTypes, visibility);
        }

        @Override
        public String toString() {
            return "EditBody[provider=" + provider + ", apiKey=***]";
        }
    }

    /** An external service with its provider health and proxy status; never the key. */
    public record ExternalServiceView(UUID id, String serviceId, String namespace, String name, String provider,
            String endpointUrl, String modelName, String apiVersion, List<FunctionType> functionTypes,
            String visibility, String runtime, String secretName, Health health, String healthMessage,
            Instant healthCheckedAt, long revision, StatusView status, Instant createdAt, String createdBy,
            Instant updatedAt, String updatedBy) {

        static ExternalServiceView of(ExternalService e) {
            List<FunctionType> types = e.functionTypes == null || e.functionTypes.isBlank()
                    ? List.of()
                    : java.util.Arrays.stream(e.functionTypes.split(",")).map(FunctionType::valueOf).toList();
            return new ExternalServiceView(e.id, e.serviceId(), e.namespace, e.name, e.provider, e.endpointUrl,
                    e.modelName, e.apiVersion, types, e.visibility, "modelgate-proxy", e.secretName, e.health,
                    e.healthMessage, e.healthCheckedAt, e.specRevision, StatusView.of(e), e.createdAt, e.createdBy,
                    e.updatedAt, e.updatedBy);
        }
    }

    /** What a deregistration answers: the warning, and the service while its removal is retried. */
    public record DeregisteredView(String serviceId, String warning, ExternalServiceView pending) {
    }

    private final ExternalServices services;
    private final ExternalServiceRepository repository;
    private final io.modelgate.serving.domain.Deployments deployments;
    private final KubernetesWriter writer;
    private final InferenceServiceWatcher watcher;
    private final SecurityIdentity caller;

    public ExternalServiceResource(ExternalServices services, ExternalServiceRepository repository,
            io.modelgate.serving.domain.Deployments deployments, KubernetesWriter writer,
            InferenceServiceWatcher watcher, SecurityIdentity caller) {
        this.services = services;
        this.repository = repository;
        this.deployments = deployments;
        this.writer = writer;
        this.watcher = watcher;
        this.caller = caller;
    }

    @POST
    @RolesAllowed(Roles.OPERATOR)
    @Operation(summary = "Register an external inference service: key into a Secret, provider health checked, "
            + "managed proxy deployed")
    public Response register(@Valid @NotNull RegisterBody body) {
        String namespace = deployments.namespaceOrDefault(body.namespace());
        ExternalService e = services.register(namespace, body.name(), body.spec(), body.apiKey(),
                caller.getPrincipal().getName());
        writer.writeExternal(e.id);
        return Response.created(URI.create("/api/v1/external-services/" + namespace + "/" + body.name()))
                .entity(view(namespace, body.name()))
                .build();
    }

    @GET
    @RolesAllowed(Roles.VIEWER)
    @Transactional
    @Operation(summary = "All external inference services with health and status")
    public List<ExternalServiceView> list() {
        return repository.all().stream().map(ExternalServiceView::of).toList();
    }

    @GET
    @Path("/{namespace}/{name}")
    @RolesAllowed(Roles.VIEWER)
    @Operation(summary = "One external inference service with provider health and proxy status")
    public ExternalServiceView get(@PathParam("namespace") String namespace, @PathParam("name") String name) {
        return view(namespace, name);
    }

    @PUT
    @Path("/{namespace}/{name}")
    @RolesAllowed(Roles.OPERATOR)
    @Operation(summary = "Edit an external inference service (a new apiKey replaces the stored one); health is "
            + "checked again")
    public ExternalServiceView edit(@PathParam("namespace") String namespace, @PathParam("name") String name,
            @Valid @NotNull EditBody body) {
        ExternalService e = services.edit(namespace, name, body.spec(), body.apiKey(),
                caller.getPrincipal().getName());
        watcher.forget(namespace, name);
        writer.writeExternal(e.id);
        return view(namespace, name);
    }

    @POST
    @Path("/{namespace}/{name}/health-check")
    @RolesAllowed(Roles.OPERATOR)
    @Operation(summary = "Check the provider's health now with the stored key")
    public ExternalServiceView checkHealth(@PathParam("namespace") String namespace,
            @PathParam("name") String name) {
        services.checkHealth(namespace, name);
        return view(namespace, name);
    }

    @DELETE
    @Path("/{namespace}/{name}")
    @RolesAllowed(Roles.OPERATOR)
    @Operation(summary = "Deregister an external inference service; AIDB pipelines using its models will fail")
    public DeregisteredView deregister(@PathParam("namespace") String namespace, @PathParam("name") String name) {
        ExternalService e = services.deregister(namespace, name, caller.getPrincipal().getName());
        writer.writeExternal(e.id);
        ExternalServiceView pending = repository.byName(namespace, name).map(ExternalServiceView::of).orElse(null);
        return new DeregisteredView(e.serviceId(), ExternalServices.DEREGISTER_WARNING, pending);
    }

    private ExternalServiceView view(String namespace, String name) {
        return repository.byName(namespace, name)
                .map(ExternalServiceView::of)
                .orElseThrow(() -> ProblemException.notFound("No external service " + namespace + "/" + name));
    }
}
