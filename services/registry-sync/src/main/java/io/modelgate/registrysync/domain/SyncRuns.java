package io.modelgate.registrysync.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.modelgate.platform.problem.ProblemException;
import io.modelgate.registrysync.config.RegistrySyncConfig;
import io.modelgate.registrysync.persistence.ConnectionRepository;
import io.modelgate.registrysync.persistence.SyncRunRepository;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;

/**
 * Starts sync runs, from the schedule or on request, one at a time per connection (a partial unique index on running
 * runs holds across instances), each on its own thread so that one slow or dead registry delays no other.
 */
@ApplicationScoped
public class SyncRuns {

    private static final Logger LOG = Logger.getLogger(SyncRuns.class);

    private final ConnectionRepository connections;
    private final SyncRunRepository runs;
    private final SyncEngine engine;
    private final RegistrySyncConfig config;
    private final ExecutorService drivers = Executors.newCachedThreadPool(r -> {
        Thread thread = new Thread(r, "registry-sync-run");
        thread.setDaemon(true);
        return thread;
    });

    public SyncRuns(ConnectionRepository connections, SyncRunRepository runs, SyncEngine engine,
            RegistrySyncConfig config) {
        this.connections = connections;
        this.runs = runs;
        this.engine = engine;
        this.config = config;
    }

    @PreDestroy
    void stop() {
        drivers.shutdownNow();
    }

    /** Starts a run now; 409 naming the running one when the connection is already syncing. */
    public SyncRun start(UUID connectionId, SyncRun.Trigger trigger, boolean full) {
        SyncRun run = QuarkusTransaction.requiringNew().call(() -> {
            RegistryConnection connection = connections.findById(connectionId);
            if (connection == null) {
                throw ProblemException.notFound("No registry connection " + connectionId);
            }
            if (!connection.enabled) {
                throw ProblemException.conflict("Connection " + connection.name + " is disabled");
            }
            return insertIfIdle(connectionId, trigger);
        });
        if (run == null) {
            UUID running = QuarkusTransaction.requiringNew()
                    .call(() -> runs.running(connectionId).map(r -> r.id).orElse(null));
            throw ProblemException.conflict("Connection " + connectionId + " is already syncing (run " + running + ")");
        }
        drivers.submit(() -> engine.runPoll(run.id, full));
        return run;
    }

    private SyncRun insertIfIdle(UUID connectionId, SyncRun.Trigger trigger) {
        SyncRun run = new SyncRun();
        run.id = UUID.randomUUID();
        run.connectionId = connectionId;
        run.trigger = trigger;
        run.status = SyncRun.Status.RUNNING;
        run.startedAt = Instant.now();
        run.heartbeatAt = run.startedAt;
        run.messages = List.of();
        int inserted = runs.getEntityManager()
                .createNativeQuery("insert into sync_run (id, connection_id, trigger_kind, status, started_at,"
                        + " heartbeat_at, messages) values (?1, ?2, ?3, 'RUNNING', ?4, ?4, '[]') on conflict do nothing")
                .setParameter(1, run.id)
                .setParameter(2, connectionId)
                .setParameter(3, trigger.name())
                .setParameter(4, run.startedAt)
                .executeUpdate();
        return inserted == 1 ? run : null;
    }

    /** Starts the runs that are due and fails runs whose instance stopped reporting. */
    @Scheduled(every = "${modelgate.registry-sync.poll.tick:10s}", delayed = "${modelgate.registry-sync.poll.tick:10s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void tick() {
        Instant now = Instant.now();
        QuarkusTransaction.requiringNew().run(() -> {
            for (SyncRun stale : runs.staleRunning(now.minus(config.poll().staleAfter()))) {
                stale.status = SyncRun.Status.FAILED;
                stale.finishedAt = now;
                List<String> messages = new ArrayList<>(stale.messages);
                messages.add("no progress for " + config.poll().staleAfter().toSeconds()
                        + " s: the instance running it stopped");
                stale.messages = messages;
            }
        });
        List<UUID> due = QuarkusTransaction.requiringNew().call(() -> {
            List<UUID> ids = new ArrayList<>();
            for (RegistryConnection connection : connections.enabled()) {
                if (connection.pollIntervalSeconds <= 0) {
                    continue;
                }
                Instant last = runs.latest(connection.id).map(r -> r.startedAt).orElse(null);
                if (last == null || !last.plus(Duration.ofSeconds(connection.pollIntervalSeconds)).isAfter(now)) {
                    ids.add(connection.id);
                }
            }
            return ids;
        });
        for (UUID id : due) {
            try {
                start(id, SyncRun.Trigger.SCHEDULE, false);
            } catch (ProblemException e) {
                // Already running (here or on another instance), or disabled meanwhile: try again next tick.
                LOG.debugf("Scheduled run of %s not started: %s", id, e.getMessage());
            }
        }
    }
}
