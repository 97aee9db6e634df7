package io.modelgate.registrysync.api;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.modelgate.platform.problem.ProblemException;
import io.modelgate.platform.security.Roles;
import io.modelgate.registrysync.domain.ConnectionType;
import io.modelgate.registrysync.domain.Connections;
import io.modelgate.registrysync.domain.RegistryConnection;
import io.modelgate.registrysync.domain.RegistryDeletion;
import io.modelgate.registrysync.domain.SyncRun;
import io.modelgate.registrysync.domain.SyncRuns;
import io.modelgate.registrysync.domain.WebhookDelivery;
import io.modelgate.registrysync.persistence.ConnectionRepository;
import io.modelgate.registrysync.persistence.RegistryDeletionRepository;
import io.modelgate.registrysync.persistence.SyncRunRepository;
import io.modelgate.registrysync.persistence.WebhookDeliveryRepository;

/** Registry connections: settings, webhook secrets, sync now, runs, received webhook events and deletions. */
@Path("/api/v1/connections")
@Tag(name = "Connections")
public class ConnectionResource {

    /** Write-only credentials: a username and password, or a token. Never returned, never logged. */
    public record Credentials(@Size(max = 255) String username, @Size(max = 4096) String password,
            @Size(max = 8192) String token) {
        @Override
        public String toString() {
            return "Credentials[username=" + username + ", ***]";
        }
    }

    /** 30 days: a longer interval is a connection that should be disabled, and would overflow the schedule. */
    static final long MAX_POLL_INTERVAL_SECONDS = 30L * 24 * 3600;

    /** A connection as an administrator sets it. */
    public record ConnectionRequest(@NotBlank @Size(max = 255) String name, @NotNull ConnectionType type,
            @NotBlank @Size(max = 1024) String baseUrl, @Valid Credentials credentials,
            @Size(max = 65536) String caCertificate, Boolean skipTlsVerify, Boolean plainHttp,
            @PositiveOrZero @Max(MAX_POLL_INTERVAL_SECONDS) Long pollIntervalSeconds, Boolean enabled,
            Boolean clearCredentials) {

        Connections.Settings settings() {
            Credentials c = credentials == null ? new Credentials(null, null, null) : credentials;
            return new Connections.Settings(name, type, baseUrl, c.username(), c.password(), c.token(), caCertificate,
                    Boolean.TRUE.equals(skipTlsVerify), Boolean.TRUE.equals(plainHttp), pollIntervalSeconds,
                    enabled == null || enabled);
        }
    }

    /** A connection as shown: whether it has credentials, never what they are. */
    public record ConnectionView(UUID id, String name, ConnectionType type, String baseUrl, String username,
            boolean hasCredentials, String credentialKind, boolean hasCaCertificate, boolean skipTlsVerify,
            boolean plainHttp, long pollIntervalSeconds, boolean enabled, String webhookPath, Instant createdAt,
            Instant updatedAt) {

        static ConnectionView of(RegistryConnection c) {
            return new ConnectionView(c.id, c.name, c.type, c.baseUrl, c.username, c.credential != null,
                    c.credentialKind == null ? null : c.credentialKind.name(), c.caCertificate != null,
                    c.skipTlsVerify, c.plainHttp, c.pollIntervalSeconds, c.enabled, "/webhooks/" + c.id, c.createdAt,
                    c.updatedAt);
        }
    }

    /** A created connection with its webhook secret, shown this once. */
    public record CreatedConnection(ConnectionView connection, String webhookSecret) {
    }

    /** A rotated webhook secret, shown this once. */
    public record WebhookSecret(String webhookSecret) {
    }

    /** A run's progress or outcome. */
    public record RunView(UUID id, UUID connectionId, String trigger, String status, Instant startedAt,
            Instant finishedAt, int repositories, int tagsSeen, int newImages, int skipped, int errors,
            List<String> messages) {

        static RunView of(SyncRun r) {
            return new RunView(r.id, r.connectionId, r.trigger.name(), r.status.name(), r.startedAt, r.finishedAt,
                    r.repositories, r.tagsSeen, r.newImages, r.skipped, r.errors, r.messages);
        }
    }

    /** A received webhook event and what became of it. */
    public record DeliveryView(UUID id, String eventId, String format, String action, String repository, String tag,
            String digest, Instant receivedAt, String status, Instant processedAt, String outcome) {

        static DeliveryView of(WebhookDelivery d) {
            return new DeliveryView(d.id, d.eventId, d.format, d.action.name(), d.repository, d.tag, d.digest,
                    d.receivedAt, d.status.name(), d.processedAt, d.outcome);
        }
    }

    /** A deletion the registry reported. */
    public record DeletionView(UUID id, String repository, String tag, String digest, Instant deletedAt) {
        static DeletionView of(RegistryDeletion d) {
            return new DeletionView(d.id, d.repository, d.tag, d.digest, d.deletedAt);
        }
    }

    private final Connections admin;
    private final ConnectionRepository connections;
    private final SyncRuns syncRuns;
    private final SyncRunRepository runs;
    private final WebhookDeliveryRepository deliveries;
    private final RegistryDeletionRepository deletions;

    public ConnectionResource(Connections admin, ConnectionRepository connections, SyncRuns syncRuns,
            SyncRunRepository runs, WebhookDeliveryRepository deliveries, RegistryDeletionRepository deletions) {
        this.admin = admin;
        this.connections = connections;
        this.syncRuns = syncRuns;
        this.runs = runs;
        this.deliveries = deliveries;
        this.deletions = deletions;
    }

    @POST
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Create a registry connection", description = "201 with the connection and its webhook"
            + " secret, which is shown only in this answer.")
    public Response create(@Valid @NotNull ConnectionRequest request) {
        Connections.WithSecret created = admin.create(request.settings());
        return Response.created(URI.create("/api/v1/connections/" + created.connection().id))
                .entity(new CreatedConnection(ConnectionView.of(created.connection()), created.webhookSecret()))
                .build();
    }

    @GET
    @RolesAllowed(Roles.VIEWER)
    @Operation(summary = "List registry connections")
    public List<ConnectionView> list() {
        return connections.all().stream().map(ConnectionView::of).toList();
    }

    @GET
    @Path("/{id}")
    @RolesAllowed(Roles.VIEWER)
    @Operation(summary = "Get a registry connection")
    public ConnectionView get(@PathParam("id") UUID id) {
        return ConnectionView.of(admin.get(id));
    }

    @PUT
    @Path("/{id}")
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Replace a connection's settings", description = "Credentials omitted are kept; set"
            + " clearCredentials to remove them.")
    public ConnectionView update(@PathParam("id") UUID id, @Valid @NotNull ConnectionRequest request) {
        return ConnectionView.of(admin.update(id, request.settings(), Boolean.TRUE.equals(request.clearCredentials())));
    }

    @DELETE
    @Path("/{id}")
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Delete a connection with its rules, runs and webhook history", description = "Announcements already made stay.")
    public Response delete(@PathParam("id") UUID id) {
        admin.delete(id);
        return Response.noContent().build();
    }

    @POST
    @Path("/{id}/webhook-secret")
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Rotate the connection's webhook secret", description = "The old secret stops working at"
            + " once; the new one is shown only in this answer.")
    public WebhookSecret rotate(@PathParam("id") UUID id) {
        return new WebhookSecret(admin.rotateSecret(id));
    }

    @POST
    @Path("/{id}/sync")
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Sync now", description = "202 with the run; 409 while the connection is syncing. With"
            + " full=true the tag digest cache is ignored, so every admitted tag is resolved again (after a rule"
            + " change).")
    public Response syncNow(@PathParam("id") UUID id, @QueryParam("full") @DefaultValue("false") boolean full) {
        SyncRun run = syncRuns.start(id, SyncRun.Trigger.MANUAL, full);
        return Response.accepted(RunView.of(run))
                .location(URI.create("/api/v1/connections/" + id + "/runs/" + run.id))
                .build();
    }

    @GET
    @Path("/{id}/runs")
    @RolesAllowed(Roles.VIEWER)
    @Operation(summary = "Runs of a connection, newest first")
    public List<RunView> runs(@PathParam("id") UUID id,
            @QueryParam("limit") @DefaultValue("20") @Min(1) @Max(200) int limit) {
        admin.get(id);
        return runs.ofConnection(id, limit).stream().map(RunView::of).toList();
    }

    @GET
    @Path("/{id}/runs/{runId}")
    @RolesAllowed(Roles.VIEWER)
    @Operation(summary = "One run, with progress while it runs")
    public RunView run(@PathParam("id") UUID id, @PathParam("runId") UUID runId) {
        SyncRun run = runs.findById(runId);
        if (run == null || !run.connectionId.equals(id)) {
            throw ProblemException.notFound("No run " + runId + " of connection " + id);
        }
        return RunView.of(run);
    }

    @GET
    @Path("/{id}/webhook-events")
    @RolesAllowed(Roles.VIEWER)
    @Operation(summary = "Webhook events received for a connection, newest first, with their outcome")
    public List<DeliveryView> webhookEvents(@PathParam("id") UUID id,
            @QueryParam("limit") @DefaultValue("50") @Min(1) @Max(500) int limit) {
        admin.get(id);
        return deliveries.ofConnection(id, limit).stream().map(DeliveryView::of).toList();
    }

    @GET
    @Path("/{id}/deletions")
    @RolesAllowed(Roles.VIEWER)
    @Operation(summary = "Deletions the registry reported by webhook, newest first")
    public List<DeletionView> deletions(@PathParam("id") UUID id) {
        admin.get(id);
        return deletions.ofConnection(id).stream().map(DeletionView::of).toList();
    }
}
