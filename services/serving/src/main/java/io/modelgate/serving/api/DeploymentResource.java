package io.modelgate.serving.api;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.transaction.Transactional;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
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

import io.modelgate.events.ImageDescriptor;
import io.modelgate.platform.problem.ProblemException;
import io.modelgate.platform.security.Roles;
import io.modelgate.serving.domain.Deployment;
import io.modelgate.serving.domain.DeploymentSpec;
import io.modelgate.serving.domain.Deployments;
import io.modelgate.serving.domain.KubernetesWriter;
import io.modelgate.serving.messaging.InferenceServiceWatcher;
import io.modelgate.serving.persistence.DeploymentRepository;
import io.quarkus.security.identity.SecurityIdentity;

/**
 * Deployments of approved model versions as KServe InferenceServices: create, roll out, delete, and their status.
 * Only a digest with a live approval is deployed; the object is written before the answer when the API server
 * allows, otherwise retried with backoff and the error shown in the status.
 */
@Path("/api/v1/deployments")
@Tag(name = "Deployments")
public class DeploymentResource {

    static final String NAME = "^[a-z]([-a-z0-9]*[a-z0-9])?$";
    static final String NAMESPACE = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$";

    /** A new deployment. */
    public record CreateBody(@NotBlank @Size(max = 45) @Pattern(regexp = NAME) String name,
            @Size(max = 63) @Pattern(regexp = NAMESPACE) String namespace, @Valid @NotNull ModelRef model,
            @NotBlank String runtime, @Size(max = 253) String servingRuntime, @Size(max = 255) String modelFormat,
            @Valid Resources resources, @Valid Scaling scaling, String deploymentMode, @Valid Endpoint endpoint) {

        DeploymentSpec spec() {
            return DeploymentBody.spec(model, runtime, servingRuntime, modelFormat, resources, scaling,
                    deploymentMode, endpoint);
        }
    }

    /** A rollout of an existing deployment: the whole desired spec. */
    public record DeploymentBody(@Valid @NotNull ModelRef model, @NotBlank String runtime,
            @Size(max = 253) String servingRuntime, @Size(max = 255) String modelFormat, @Valid Resources resources,
            @Valid Scaling scaling, String deploymentMode, @Valid Endpoint endpoint) {

        DeploymentSpec spec() {
            return spec(model, runtime, servingRuntime, modelFormat, resources, scaling, deploymentMode, endpoint);
        }

        static DeploymentSpec spec(ModelRef model, String runtime, String servingRuntime, String modelFormat,
                Resources resources, Scaling scaling, String deploymentMode, Endpoint endpoint) {
            Resources r = resources == null ? new Resources(null, null, null, null) : resources;
            Scaling s = scaling == null ? new Scaling(null, null, null, null) : scaling;
            Endpoint e = endpoint == null ? new Endpoint(null, null) : endpoint;
            return new DeploymentSpec(model.versionId(), model.digest(), runtime, servingRuntime, modelFormat,
                    r.gpuCount(), r.gpuType(), r.cpu(), r.memory(), s.minReplicas(), s.maxReplicas(),
                    s.scaleMetric(), s.scaleTarget(), deploymentMode, e.visibility(), e.auth());
        }
    }

    /** The model version: by version id or by digest. */
    public record ModelRef(@Size(max = 255) String versionId,
            @Pattern(regexp = ImageDescriptor.DIGEST_REGEX) String digest) {
    }

    /** Resources; each defaults to the version's requirements. Quantities are Kubernetes quantities. */
    public record Resources(@Min(0) @Max(64) Integer gpuCount, @Size(max = 63) String gpuType,
            @Size(max = 32) String cpu, @Size(max = 32) String memory) {
    }

    /** Replica bounds and the autoscaling metric (KServe predictor fields). */
    public record Scaling(@Min(0) @Max(1000) Integer minReplicas, @Min(1) @Max(1000) Integer maxReplicas,
            String scaleMetric, @Min(1) Integer scaleTarget) {
    }

    /** {@code internal} (default) or {@code external}; authentication on unless turned off. */
    public record Endpoint(String visibility, Boolean auth) {
    }

    /** A deployment with its status. */
    public record DeploymentView(UUID id, String serviceId, String namespace, String name, ModelView model,
            String runtime, String servingRuntime, String modelFormat, String deploymentMode, Resources resources,
            Scaling scaling, Endpoint endpoint, boolean stopped, long revision, StatusView status, Instant createdAt,
            String createdBy, Instant updatedAt, String updatedBy) {

        static DeploymentView of(Deployment d) {
            return new DeploymentView(d.id, d.serviceId(), d.namespace, d.name,
                    new ModelView(d.versionId, d.modelName, d.modelVersion, d.digest, d.imageReference), d.runtime,
                    d.servingRuntime, d.modelFormat, d.deploymentMode,
                    new Resources(d.gpuCount, d.gpuType, d.cpu, d.memory),
                    new Scaling(d.minReplicas, d.maxReplicas, d.scaleMetric, d.scaleTarget),
                    new Endpoint(d.visibility, d.authEnabled), d.stopped, d.specRevision, StatusView.of(d),
                    d.createdAt, d.createdBy, d.updatedAt, d.updatedBy);
        }
    }

    /** The deployed model version, pinned by digest. */
    public record ModelView(String versionId, String modelName, String version, String digest,
            String imageReference) {
    }

    private final Deployments deployments;
    private final DeploymentRepository repository;
    private final KubernetesWriter writer;
    private final InferenceServiceWatcher watcher;
    private final SecurityIdentity caller;

    public DeploymentResource(Deployments deployments, DeploymentRepository repository, KubernetesWriter writer,
            InferenceServiceWatcher watcher, SecurityIdentity caller) {
        this.deployments = deployments;
        this.repository = repository;
        this.writer = writer;
        this.watcher = watcher;
        this.caller = caller;
    }

    @POST
    @RolesAllowed(Roles.OPERATOR)
    @Operation(summary = "Deploy an approved model version as a KServe InferenceService (403 unless its digest holds a "
            + "live approval)")
    public Response create(@Valid @NotNull CreateBody body) {
        String namespace = deployments.namespaceOrDefault(body.namespace());
        Deployment d = deployments.create(namespace, body.name(), body.spec(), caller.getPrincipal().getName());
        writer.writeDeployment(d.id);
        return Response.created(URI.create("/api/v1/deployments/" + namespace + "/" + body.name()))
                .entity(view(namespace, body.name()))
                .build();
    }

    @GET
    @RolesAllowed(Roles.VIEWER)
    @Transactional
    @Operation(summary = "All deployments with their status")
    public List<DeploymentView> list() {
        return repository.all().stream().map(DeploymentView::of).toList();
    }

    @GET
    @Path("/{namespace}/{name}")
    @RolesAllowed(Roles.VIEWER)
    @Operation(summary = "One deployment: model, runtime, resources, scaling, endpoint, URLs, status, replicas and "
            + "last failure")
    public DeploymentView get(@PathParam("namespace") String namespace, @PathParam("name") String name) {
        return view(namespace, name);
    }

    @PUT
    @Path("/{namespace}/{name}")
    @RolesAllowed(Roles.OPERATOR)
    @Operation(summary = "Roll a deployment out to a new spec (model version, runtime, resources, scaling, endpoint)")
    public DeploymentView update(@PathParam("namespace") String namespace, @PathParam("name") String name,
            @Valid @NotNull DeploymentBody body) {
        Deployment d = deployments.update(namespace, name, body.spec(), caller.getPrincipal().getName());
        watcher.forget(namespace, name);
        writer.writeDeployment(d.id);
        return view(namespace, name);
    }

    @DELETE
    @Path("/{namespace}/{name}")
    @RolesAllowed(Roles.OPERATOR)
    @Operation(summary = "Delete a deployment: announced out of service at once; 204 when the InferenceService is "
            + "gone, 202 with the status while the delete is retried")
    public Response delete(@PathParam("namespace") String namespace, @PathParam("name") String name) {
        Deployment d = deployments.delete(namespace, name, caller.getPrincipal().getName());
        writer.writeDeployment(d.id);
        return repository.byName(namespace, name)
                .map(left -> Response.accepted(DeploymentView.of(left)).build())
                .orElseGet(() -> Response.noContent().build());
    }

    private DeploymentView view(String namespace, String name) {
        return repository.byName(namespace, name)
                .map(DeploymentView::of)
                .orElseThrow(() -> ProblemException.notFound("No deployment " + namespace + "/" + name));
    }
}
