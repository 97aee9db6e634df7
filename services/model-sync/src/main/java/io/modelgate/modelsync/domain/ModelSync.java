package io.modelgate.modelsync.domain;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.modelgate.events.FunctionType;
import io.modelgate.events.ServiceDeregistered;
import io.modelgate.events.ServiceRegistered;
import io.modelgate.modelsync.client.AidbClient;
import io.modelgate.modelsync.client.AidbModel;
import io.modelgate.modelsync.client.AidbSession;
import io.modelgate.modelsync.client.Budget;
import io.modelgate.modelsync.config.ModelSyncConfig;
import io.modelgate.modelsync.persistence.ServedModelRepository;
import io.modelgate.modelsync.persistence.SyncResultRepository;
import io.modelgate.modelsync.persistence.SyncRunRepository;
import io.modelgate.modelsync.persistence.SyncTargetRepository;
import io.modelgate.platform.messaging.DeadLetterReason;
import io.modelgate.platform.messaging.PoisonEventException;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * Applies what is served to the AIDB model registry of every enabled target: one model at once for an event, every
 * model for a reconcile. Each target has its own PostgreSQL advisory lock in the service database, held by an event
 * until its transaction commits and by a reconcile for that target's own short transaction, so a reconcile never
 * deletes a model an event has just registered, and an event waits at most behind the reconcile of the same target.
 * A target that is down, hangs or refuses a model is recorded as failed and repaired by the next reconcile; it never
 * fails the event.
 */
@ApplicationScoped
public class ModelSync {

    private static final Logger LOG = Logger.getLogger(ModelSync.class);
    /** Key spaces of the two-key advisory locks: one lock per AIDB name, one per target. */
    private static final int NAME_LOCKS = 0x6d670001;
    private static final int TARGET_LOCKS = 0x6d670002;
    /** Beyond the deadline, how long to wait for a target's I/O to notice it (its statements are cut to it). */
    private static final long GRACE_MILLIS = 1000;
    private static final String DEFERRED = "deferred to reconcile";

    private final SyncTargetRepository targets;
    private final ServedModelRepository served;
    private final SyncRunRepository runs;
    private final SyncResultRepository results;
    private final AidbClient client;
    private final CredentialCipher cipher;
    private final EntityManager entityManager;
    private final ModelSyncConfig config;
    private final MeterRegistry meters;
    private final AtomicLong lastReconcileMillis = new AtomicLong();
    /** Target I/O of events, so the targets of one event are worked on in parallel and a hung one delays no other. */
    private final ExecutorService targetIo;

    public ModelSync(SyncTargetRepository targets, ServedModelRepository served, SyncRunRepository runs,
            SyncResultRepository results, AidbClient client, CredentialCipher cipher, EntityManager entityManager,
            ModelSyncConfig config, MeterRegistry meters) {
        this.targets = targets;
        this.served = served;
        this.runs = runs;
        this.results = results;
        this.client = client;
        this.cipher = cipher;
        this.entityManager = entityManager;
        this.config = config;
        this.meters = meters;
        AtomicInteger threads = new AtomicInteger();
        this.targetIo = Executors.newCachedThreadPool(task -> {
            Thread thread = new Thread(task, "model-sync-target-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        Gauge.builder("modelgate.sync.reconcile.last.duration", lastReconcileMillis, ms -> ms.get() / 1000.0)
                .description("Duration of the last reconcile over every target")
                .baseUnit("seconds")
                .register(meters);
    }

    @PreDestroy
    void stop() {
        targetIo.shutdownNow();
    }

    /** Records the service as served and registers or updates its model now; runs in the consumer's transaction. */
    public void onRegistered(ServiceRegistered event) {
        String aidbName = ModelMapping.aidbName(event.serviceId());
        lockName(aidbName);
        ServedModel row = served.findByServiceId(event.serviceId()).orElse(null);
        if (isStale(row, event.occurredAt())) {
            LOG.infof("Ignoring ServiceRegistered %s for %s: older than the last event applied", event.eventId(),
                    event.serviceId());
            return;
        }
        Optional<ServedModel> holder = served.findActiveByAidbName(aidbName);
        if (holder.isPresent() && !holder.get().serviceId.equals(event.serviceId())) {
            throw new PoisonEventException(DeadLetterReason.REJECTED, "AIDB model name " + aidbName + " of service "
                    + event.serviceId() + " is already used by service " + holder.get().serviceId);
        }
        boolean created = row == null;
        if (created) {
            row = new ServedModel();
            row.id = UUID.randomUUID();
            row.serviceId = event.serviceId();
        }
        row.aidbName = aidbName;
        row.active = true;
        row.modelName = event.modelName();
        row.versionId = event.versionId();
        row.functionTypes = event.functionTypes().stream().map(FunctionType::name).collect(Collectors.joining(","));
        row.servedModelName = event.servedModelName();
        row.runtime = event.runtime();
        row.provider = event.provider();
        row.internalUrl = event.internalUrl();
        row.openAiBasePath = event.openAiBasePath();
        row.lastEventAt = event.occurredAt();
        row.updatedAt = Instant.now();
        if (created) {
            served.persist(row);
        }
        Optional<DesiredModel> desired = ModelMapping.desired(row);
        String unmapped = desired.isPresent()
                ? null
                : "AIDB has no provider for function types " + event.functionTypes() + "; not registered";
        syncEvent(event.eventId(), row, desired.orElse(null), unmapped);
    }

    /** Records the service as no longer served and deletes its model now; runs in the consumer's transaction. */
    public void onDeregistered(ServiceDeregistered event) {
        String aidbName = ModelMapping.aidbName(event.serviceId());
        lockName(aidbName);
        ServedModel row = served.findByServiceId(event.serviceId()).orElse(null);
        if (row == null) {
            // Never registered here (or registered before this service existed): still make sure no owned model is
            // left behind under the service's name, and remember the deregistration against late registrations.
            row = new ServedModel();
            row.id = UUID.randomUUID();
            row.serviceId = event.serviceId();
            row.aidbName = aidbName;
            row.modelName = event.modelName();
            row.functionTypes = "";
            row.servedModelName = event.modelName();
            row.internalUrl = "";
            row.openAiBasePath = "";
            served.persist(row);
        } else if (isStale(row, event.occurredAt())) {
            LOG.infof("Ignoring ServiceDeregistered %s for %s: older than the last event applied", event.eventId(),
                    event.serviceId());
            return;
        }
        row.active = false;
        row.lastEventAt = event.occurredAt();
        row.updatedAt = Instant.now();
        syncEvent(event.eventId(), row, null, null);
    }

    /**
     * Reconciles every enabled target with what is served, each target in its own transaction under its own lock, and
     * returns the recorded run.
     */
    public SyncRun reconcile(SyncTrigger trigger) {
        UUID runId = QuarkusTransaction.requiringNew().call(() -> start(trigger, null, null).id);
        List<UUID> enabled = QuarkusTransaction.requiringNew()
                .call(() -> targets.listEnabled().stream().map(target -> target.id).toList());
        for (UUID targetId : enabled) {
            try {
                QuarkusTransaction.requiringNew()
                        .timeout(config.reconcile().timeoutSeconds())
                        .run(() -> reconcileTarget(runId, targetId));
            } catch (RuntimeException e) {
                // Not the target (those failures are results): the service database. Record it and go on.
                LOG.errorf(e, "Reconcile of target %s failed", targetId);
                QuarkusTransaction.requiringNew().run(() -> {
                    SyncTarget target = targets.findById(targetId);
                    if (target != null) {
                        persist(runs.findById(runId), target, TargetReport.wholeTarget(null, null, 1,
                                SyncOutcome.FAILED, "Reconcile of this target failed: " + e.getMessage()));
                    }
                });
            }
        }
        return QuarkusTransaction.requiringNew().call(() -> {
            SyncRun finished = finish(runs.findById(runId));
            runs.deleteStartedBefore(Instant.now().minus(config.historyRetention()));
            lastReconcileMillis.set(Duration.between(finished.startedAt, finished.finishedAt).toMillis());
            return finished;
        });
    }

    private void reconcileTarget(UUID runId, UUID targetId) {
        SyncTarget target = targets.findById(targetId);
        if (target == null || !target.enabled) {
            return; // removed or disabled since the pass started
        }
        lockTarget(target);
        // Read after the lock: an event that held it has committed, so its service is in what is read here.
        Map<String, DesiredModel> desired = new LinkedHashMap<>();
        List<ServedModel> unmapped = new ArrayList<>();
        for (ServedModel row : served.listActive()) {
            ModelMapping.desired(row)
                    .ifPresentOrElse(model -> desired.put(model.name(), model),
                            () -> unmapped.add(row));
        }
        SyncRun run = runs.findById(runId);
        for (ServedModel row : unmapped) {
            record(run, target, row.aidbName, row.serviceId, SyncOutcome.SKIPPED,
                    "AIDB has no provider for function types [" + row.functionTypes + "]", null);
        }
        Budget budget = Budget.unbounded(config.target().connectTimeout(), config.target().socketTimeout());
        persist(run, target, passOrSkip(target, desired, null, null, null, budget, true));
    }

    /** The event's pass over every enabled target: their I/O in parallel, bounded by the event deadline. */
    private void syncEvent(UUID eventId, ServedModel row, DesiredModel desired, String unmappedReason) {
        long deadline = System.nanoTime() + config.event().deadline().toNanos();
        Budget budget = Budget.until(config.event().connectTimeout(), config.event().socketTimeout(), deadline);
        SyncRun run = start(SyncTrigger.EVENT, row.serviceId, eventId);
        Map<String, DesiredModel> wanted = desired == null ? Map.of() : Map.of(desired.name(), desired);
        Map<SyncTarget, Future<TargetReport>> pending = new LinkedHashMap<>();
        for (SyncTarget target : targets.listEnabled()) {
            if (target.reachable && !tryLockTarget(target, budget)) {
                persist(run, target, TargetReport.wholeTarget(row.aidbName, row.serviceId, 1, SyncOutcome.FAILED,
                        "A reconcile of this target held it past the event's deadline; " + DEFERRED));
                continue;
            }
            // The catalog is read again only when the URL changed (which clears it); reconciles refresh it.
            boolean readCatalog = target.credentialSupport == null;
            TargetRef ref = TargetRef.of(target);
            pending.put(target, targetIo.submit(
                    () -> passOrSkip(ref, wanted, row.aidbName, row.serviceId, unmappedReason, budget, readCatalog)));
        }
        for (Map.Entry<SyncTarget, Future<TargetReport>> entry : pending.entrySet()) {
            SyncTarget target = entry.getKey();
            TargetReport report;
            try {
                report = entry.getValue().get(budget.remainingMillis() + GRACE_MILLIS, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                entry.getValue().cancel(true);
                report = TargetReport.wholeTarget(row.aidbName, row.serviceId, 1, SyncOutcome.FAILED,
                        "Target did not answer within the event's deadline; " + DEFERRED);
            } catch (ExecutionException e) {
                report = TargetReport.wholeTarget(row.aidbName, row.serviceId, 1, SyncOutcome.FAILED,
                        "Target failed: " + e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while syncing targets", e);
            }
            if (report.catalog != null) {
                target.credentialSupport = report.catalog;
                target.catalogCheckedAt = Instant.now();
            }
            persist(run, target, report);
        }
        finish(run);
    }

    /** What a pass needs of a target, copied so that the target's I/O runs off the transaction's thread. */
    private record TargetRef(UUID id, String name, String jdbcUrl, String username, byte[] passwordCipher,
            boolean reachable, TargetLocation location) {

        static TargetRef of(SyncTarget target) {
            return new TargetRef(target.id, target.name, target.jdbcUrl, target.username, target.passwordCipher,
                    target.reachable, target.location);
        }
    }

    private TargetReport passOrSkip(SyncTarget target, Map<String, DesiredModel> desired, String scopeName,
            String scopeService, String unmappedReason, Budget budget, boolean readCatalog) {
        TargetReport report = passOrSkip(TargetRef.of(target), desired, scopeName, scopeService, unmappedReason,
                budget, readCatalog);
        if (report.catalog != null) {
            target.credentialSupport = report.catalog;
            target.catalogCheckedAt = Instant.now();
        }
        return report;
    }

    /**
     * Brings one target in line with {@code desired}. With {@code scopeName} set (an event) the pass looks at that
     * service's model alone; without it (a reconcile), at every model of the target. {@code unmappedReason} says why
     * an event's service has no AIDB model although it is served. Touches only the target, never the service database.
     */
    private TargetReport passOrSkip(TargetRef target, Map<String, DesiredModel> desired, String scopeName,
            String scopeService, String unmappedReason, Budget budget, boolean readCatalog) {
        int scopeSize = scopeName == null ? desired.size() : 1;
        if (!target.reachable()) {
            return TargetReport.wholeTarget(scopeName, scopeService, scopeSize, SyncOutcome.SKIPPED, "Target cannot"
                    + " reach the platform's endpoints (location " + target.location() + "); models are not"
                    + " registered there");
        }
        String password;
        try {
            password = target.passwordCipher() == null ? null : cipher.decrypt(target.id(), target.passwordCipher());
        } catch (IllegalStateException e) {
            return TargetReport.wholeTarget(scopeName, scopeService, scopeSize, SyncOutcome.FAILED, e.getMessage());
        }
        TargetReport report = new TargetReport();
        try (AidbSession session = client.open(target.jdbcUrl(), target.username(), password, budget)) {
            if (readCatalog) {
                report.catalog = session.credentialSupport();
            }
            Map<String, AidbModel> actual = scopeName == null ? session.models() : session.models(scopeName);
            apply(report, target, session, desired, actual, scopeName, scopeService, unmappedReason);
            return report;
        } catch (SQLException e) {
            String reason = "Target failed: " + e.getMessage()
                    + (budget.bounded() && budget.remainingMillis() == 0 ? " (" + DEFERRED + ")" : "");
            LOG.warnf("Sync of target %s failed; the next reconcile retries it: %s", target.name(), e.getMessage());
            TargetReport failed = TargetReport.wholeTarget(scopeName, scopeService, scopeSize, SyncOutcome.FAILED,
                    reason);
            failed.catalog = report.catalog;
            return failed;
        }
    }

    private void apply(TargetReport report, TargetRef target, AidbSession session, Map<String, DesiredModel> desired,
            Map<String, AidbModel> actual, String scopeName, String scopeService, String unmappedReason)
            throws SQLException {
        boolean event = scopeName != null;
        for (DesiredModel model : desired.values()) {
            AidbModel existing = actual.get(model.name());
            if (existing == null) {
                attempt(report, target, model.name(), model.serviceId(), SyncOutcome.CREATED, null, null,
                        () -> session.create(model));
            } else if (!ModelMapping.owned(existing.config())) {
                report.add(model.name(), model.serviceId(), SyncOutcome.SKIPPED, "Conflict: the target already has a"
                        + " model named " + model.name() + " that Modelgate does not own (no \"" + ModelMapping.MARKER
                        + "\" marker in its config); left untouched", null);
            } else if (ModelMapping.upToDate(model, existing.provider(), existing.config())) {
                if (event) {
                    report.add(model.name(), model.serviceId(), SyncOutcome.UNCHANGED, "Already up to date", null);
                } else {
                    // A reconcile keeps no row per unchanged model, only the count: history stays small.
                    report.count(SyncOutcome.UNCHANGED, 1);
                }
            } else {
                String drift = model.provider().equals(existing.provider())
                        ? "model, url or marker differed"
                        : "provider " + existing.provider() + " -> " + model.provider();
                attempt(report, target, model.name(), model.serviceId(), SyncOutcome.UPDATED, drift, null,
                        () -> session.replace(model));
            }
        }
        List<AidbModel> obsolete = actual.values()
                .stream()
                .filter(model -> ModelMapping.owned(model.config()) && !desired.containsKey(model.name()))
                .toList();
        Map<String, List<String>> references = Map.of();
        if (!obsolete.isEmpty()) {
            try {
                references = session.references(obsolete.stream().map(AidbModel::name).toList());
            } catch (SQLException e) {
                LOG.warnf("Could not list references in target %s: %s", target.name(), e.getMessage());
            }
        }
        for (AidbModel model : obsolete) {
            List<String> users = references.getOrDefault(model.name(), List.of());
            String why = !event ? "No longer served" : unmappedReason != null ? unmappedReason : "Service deregistered";
            String reason = users.isEmpty()
                    ? why
                    : why + "; still referenced by " + users.size()
                            + " pipeline(s) or knowledge base(s), which fail on their next run";
            String serviceId = model.config().path(ModelMapping.MARKER).path("serviceId").asText(null);
            String referencedBy = users.isEmpty() ? null : String.join(", ", users);
            attempt(report, target, model.name(), serviceId, SyncOutcome.DELETED, reason, referencedBy,
                    () -> session.delete(model.name()));
        }
        if (event && desired.isEmpty() && obsolete.isEmpty()) {
            AidbModel existing = actual.get(scopeName);
            if (existing == null && unmappedReason != null) {
                report.add(scopeName, scopeService, SyncOutcome.SKIPPED, unmappedReason, null);
            } else if (existing == null) {
                report.add(scopeName, scopeService, SyncOutcome.UNCHANGED, "Not registered", null);
            } else {
                report.add(scopeName, scopeService, SyncOutcome.SKIPPED, "The target's model " + scopeName
                        + " is not owned by Modelgate; left untouched", null);
            }
        }
    }

    /** A statement against the target. */
    private interface TargetCall {
        void run() throws SQLException;
    }

    private static void attempt(TargetReport report, TargetRef target, String name, String serviceId,
            SyncOutcome outcome, String reason, String referencedBy, TargetCall call) {
        try {
            call.run();
            report.add(name, serviceId, outcome, reason, referencedBy);
        } catch (SQLException e) {
            LOG.warnf("Target %s refused %s of %s: %s", target.name(), outcome, name, e.getMessage());
            report.add(name, serviceId, SyncOutcome.FAILED, outcome.name().toLowerCase() + " failed: "
                    + e.getMessage(), referencedBy);
        }
    }

    private SyncRun start(SyncTrigger trigger, String serviceId, UUID eventId) {
        SyncRun run = new SyncRun();
        run.id = UUID.randomUUID();
        run.trigger = trigger;
        run.serviceId = serviceId;
        run.eventId = eventId;
        run.startedAt = Instant.now();
        // Persisted first, so that its results (which reference it) insert after it.
        runs.persist(run);
        return run;
    }

    private SyncRun finish(SyncRun run) {
        run.finishedAt = Instant.now();
        String trigger = run.trigger.name().toLowerCase();
        for (SyncOutcome outcome : SyncOutcome.values()) {
            int count = switch (outcome) {
                case CREATED -> run.created;
                case UPDATED -> run.updated;
                case DELETED -> run.deleted;
                case UNCHANGED -> run.unchanged;
                case SKIPPED -> run.skipped;
                case FAILED -> run.failed;
            };
            if (count > 0) {
                meters.counter("modelgate.sync.results", "outcome", outcome.name().toLowerCase(), "trigger", trigger)
                        .increment(count);
            }
        }
        Timer.builder("modelgate.sync.pass")
                .description("Duration of a sync pass over every enabled target")
                .tag("trigger", trigger)
                .register(meters)
                .record(Duration.between(run.startedAt, run.finishedAt));
        return run;
    }

    private void persist(SyncRun run, SyncTarget target, TargetReport report) {
        for (TargetReport.Entry entry : report.entries) {
            record(run, target, entry.aidbName(), entry.serviceId(), entry.outcome(), entry.reason(),
                    entry.referencedBy());
        }
        report.countedOnly.forEach(run::count);
    }

    private void record(SyncRun run, SyncTarget target, String name, String serviceId, SyncOutcome outcome,
            String reason, String referencedBy) {
        SyncResult result = new SyncResult();
        result.id = UUID.randomUUID();
        result.runId = run.id;
        result.targetId = target.id;
        result.targetName = target.name;
        result.aidbName = name;
        result.serviceId = serviceId;
        result.outcome = outcome;
        result.reason = reason == null ? null : truncate(reason, 2048);
        result.referencedBy = referencedBy == null ? null : truncate(referencedBy, 4096);
        results.persist(result);
        run.count(outcome, 1);
    }

    private static String truncate(String value, int max) {
        return value.length() <= max ? value : value.substring(0, max - 1) + "…";
    }

    private static boolean isStale(ServedModel row, Instant occurredAt) {
        return row != null && row.lastEventAt != null && row.lastEventAt.isAfter(occurredAt);
    }

    /** Serialises events for one AIDB name across instances, so two services cannot both claim it. */
    private void lockName(String aidbName) {
        entityManager.createNativeQuery("select pg_advisory_xact_lock(?1, hashtext(?2))")
                .setParameter(1, NAME_LOCKS)
                .setParameter(2, aidbName)
                .getSingleResult();
    }

    /** A reconcile waits for the target's lock: an event holds it only within its own bounded deadline. */
    private void lockTarget(SyncTarget target) {
        entityManager.createNativeQuery("select pg_advisory_xact_lock(?1, hashtext(?2))")
                .setParameter(1, TARGET_LOCKS)
                .setParameter(2, target.id.toString())
                .getSingleResult();
    }

    /**
     * An event tries the target's lock until its deadline: it waits at most behind that target's reconcile, never
     * beyond the time it has (a plain wait could not be abandoned without aborting the consumer's transaction).
     */
    private boolean tryLockTarget(SyncTarget target, Budget budget) {
        while (true) {
            Object locked = entityManager.createNativeQuery("select pg_try_advisory_xact_lock(?1, hashtext(?2))")
                    .setParameter(1, TARGET_LOCKS)
                    .setParameter(2, target.id.toString())
                    .getSingleResult();
            if (Boolean.TRUE.equals(locked)) {
                return true;
            }
            if (budget.remainingMillis() == 0) {
                return false;
            }
            try {
                Thread.sleep(Math.min(20, budget.remainingMillis()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }
}
