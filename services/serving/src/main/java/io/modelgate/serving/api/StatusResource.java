package io.modelgate.serving.api;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.modelgate.events.ServiceKind;
import io.modelgate.platform.security.Roles;
import io.modelgate.serving.domain.Deployment;
import io.modelgate.serving.domain.ExternalService;
import io.modelgate.serving.persistence.DeploymentRepository;
import io.modelgate.serving.persistence.ExternalServiceRepository;

/** One overview of everything serving runs: what is deployed where, its URLs, status, replicas and last failure. */
@Path("/api/v1/status")
@Tag(name = "Status")
public class StatusResource {

    /** One service in the overview. */
    public record ServiceSummary(String serviceId, ServiceKind kind, String namespace, String name, String model,
            String version, String digest, String runtime, String provider, StatusView status) {
    }

    private final DeploymentRepository deployments;
    private final ExternalServiceRepository externals;

    public StatusResource(DeploymentRepository deployments, ExternalServiceRepository externals) {
        this.deployments = deployments;
        this.externals = externals;
    }

    @GET
    @RolesAllowed(Roles.VIEWER)
    @Transactional
    @Operation(summary = "Every deployment and external service: where, URLs, status, replicas, last failure")
    public List<ServiceSummary> status() {
        List<ServiceSummary> all = new ArrayList<>();
        for (Deployment d : deployments.all()) {
            all.add(new ServiceSummary(d.serviceId(), ServiceKind.KSERVE, d.namespace, d.name, d.modelName,
                    d.modelVersion, d.digest, d.runtime, null, StatusView.of(d)));
        }
        for (ExternalService e : externals.all()) {
            all.add(new ServiceSummary(e.serviceId(), ServiceKind.EXTERNAL, e.namespace, e.name, e.modelName, null,
                    null, "modelgate-proxy", e.provider, StatusView.of(e)));
        }
        all.sort(Comparator.comparing(ServiceSummary::serviceId));
        return all;
    }
}
