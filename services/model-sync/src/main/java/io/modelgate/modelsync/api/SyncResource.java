package io.modelgate.modelsync.api;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.modelgate.modelsync.domain.ModelMapping;
import io.modelgate.modelsync.domain.ModelSync;
import io.modelgate.modelsync.domain.ServedModel;
import io.modelgate.modelsync.domain.SyncOutcome;
import io.modelgate.modelsync.domain.SyncResult;
import io.modelgate.modelsync.domain.SyncRun;
import io.modelgate.modelsync.domain.SyncTrigger;
import io.modelgate.modelsync.persistence.ServedModelRepository;
import io.modelgate.modelsync.persistence.SyncResultRepository;
import io.modelgate.modelsync.persistence.SyncRunRepository;
import io.modelgate.platform.problem.ProblemException;
import io.modelgate.platform.security.Roles;

/** Sync history, what is served, and a reconcile on demand. */
@Path("/api/v1/sync")
@Tag(name = "Sync")
public class SyncResource {

    /** What a pass did to one model in one target; {@code aidbName} is null when it covers the whole target. */
    public record ResultView(String target, UUID targetId, String aidbName, String serviceId, SyncOutcome outcome,
            String reason, String referencedBy) {

        static ResultView of(SyncResult result) {
            return new ResultView(result.targetName, result.targetId, result.aidbName, result.serviceId,
                    result.outcome, result.reason, result.referencedBy);
        }
    }

    /**
     * A sync pass with its counts (every model of every target) and, when asked for, its results (all but the
     * unchanged models of a reconcile).
     */
    public record RunView(UUID id, SyncTrigger trigger, String serviceId, UUID eventId, Instant startedAt,
            Instant finishedAt, int created, int updated, int deleted, int unchanged, int skipped, int failed,
            List<ResultView> results) {

        static RunView of(SyncRun run, List<SyncResult> results) {
            return new RunView(run.id, run.trigger, run.serviceId, run.eventId, run.startedAt, run.finishedAt,
                    run.created, run.updated, run.deleted, run.unchanged, run.skipped, run.failed,
                    results == null ? null : results.stream().map(ResultView::of).toList());
        }
    }

    /** A service as model-sync will register it. */
    public record ServedView(String serviceId, String aidbName, String provider, String modelName, String versionId,
            String servedModelName, String url, Instant lastEventAt) {

        static ServedView of(ServedModel served) {
            return ModelMapping.desired(served)
                    .map(model -> new ServedView(served.serviceId, served.aidbName, model.provider(),
                            served.modelName, served.versionId, served.servedModelName,
                            model.config().path("url").asText(), served.lastEventAt))
                    .orElseGet(() -> new ServedView(served.serviceId, served.aidbName, null, served.modelName,
                            served.versionId, served.servedModelName, null, served.lastEventAt));
        }
    }

    private final ModelSync sync;
    private final SyncRunRepository runs;
    private final SyncResultRepository results;
    private final ServedModelRepository served;

    public SyncResource(ModelSync sync, SyncRunRepository runs, SyncResultRepository results,
            ServedModelRepository served) {
        this.sync = sync;
        this.runs = runs;
        this.results = results;
        this.served = served;
    }

    @POST
    @Path("/reconcile")
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Reconcile every enabled target now", description = "Waits for the pass (it queues behind"
            + " one already running) and returns it with its results.")
    public RunView reconcile() {
        SyncRun run = sync.reconcile(SyncTrigger.API);
        return RunView.of(run, results.byRun(run.id));
    }

    @GET
    @Path("/runs")
    @RolesAllowed(Roles.VIEWER)
    @Operation(summary = "Sync passes, newest first, with their counts")
    public List<RunView> runs(
            @QueryParam("trigger") @Pattern(regexp = "EVENT|SCHEDULE|API", message = "must be EVENT, SCHEDULE or API") String trigger,
            @QueryParam("serviceId") @Size(max = 255) String serviceId,
            @QueryParam("limit") @DefaultValue("20") @Min(1) @Max(200) int limit) {
        return runs.newest(trigger == null ? null : SyncTrigger.valueOf(trigger), serviceId, limit)
                .stream()
                .map(run -> RunView.of(run, null))
                .toList();
    }

    @GET
    @Path("/runs/{id}")
    @RolesAllowed(Roles.VIEWER)
    @Operation(summary = "One sync pass with its results per target and model")
    public RunView run(@PathParam("id") UUID id) {
        SyncRun run = runs.findByIdOptional(id).orElseThrow(() -> ProblemException.notFound("No sync run " + id));
        return RunView.of(run, results.byRun(id));
    }

    @GET
    @Path("/served")
    @RolesAllowed(Roles.VIEWER)
    @Operation(summary = "What is served: the desired state applied to every target")
    public List<ServedView> served() {
        return served.listActive().stream().map(ServedView::of).toList();
    }
}
