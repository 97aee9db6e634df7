package io.modelgate.modelsync;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.modelgate.events.FunctionType;
import io.modelgate.events.ServiceRegistered;
import io.modelgate.modelsync.domain.ModelMapping;
import io.modelgate.testing.KafkaTestClient;
import io.modelgate.testing.ModelgateTestResources;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

import static io.modelgate.modelsync.SyncTestSupport.createTarget;
import static io.modelgate.modelsync.SyncTestSupport.reconcile;
import static io.modelgate.modelsync.SyncTestSupport.registered;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Figures for the targets: event to model registered in every reachable target (p99 at most 1 s), and a
 * reconcile of 1,000 models in 3 targets with nothing to change (at most 10 s). Prints them; asserts only that the
 * work was done. Run with {@code bench.sh}.
 */
@QuarkusTest
@QuarkusTestResource(ModelgateTestResources.class)
class ModelSyncBenchmark {

    private static final int EVENTS = 200;
    private static final int MODELS = 1000;
    private static final int RECONCILES = 5;

    @Inject
    DataSource dataSource;

    @Test
    void eventLatencyAndSteadyStateReconcile() throws Exception {
        List<AidbDatabase> targets = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            AidbDatabase target = AidbDatabase.create("bench_aidb");
            targets.add(target);
            createTarget("bench-" + i, target.jdbcUrl, "bench-password", "PRIMARY", true);
        }
        AidbDatabase remote = AidbDatabase.create("bench_remote");
        createTarget("bench-remote", remote.jdbcUrl, "bench-password", "SECONDARY", false);

        List<Connection> readers = new ArrayList<>();
        for (AidbDatabase target : targets) {
            readers.add(target.connect());
        }
        try {
            // Warm-up: consumer group join, JIT, connection set-up.
            for (int i = 0; i < 20; i++) {
                sendAndAwait(readers, "bench-warm/svc-" + i);
            }
            long[] latencies = new long[EVENTS];
            for (int i = 0; i < EVENTS; i++) {
                latencies[i] = sendAndAwait(readers, "bench/svc-" + i);
            }
            Arrays.sort(latencies);
            System.out.printf("%nBENCH event -> registered in all 3 reachable targets (+1 unreachable), %d events"
                    + " one at a time:%n  p50 %.1f ms, p95 %.1f ms, p99 %.1f ms, max %.1f ms%n", EVENTS,
                    ms(percentile(latencies, 50)), ms(percentile(latencies, 95)), ms(percentile(latencies, 99)),
                    ms(latencies[EVENTS - 1]));
        } finally {
            for (Connection reader : readers) {
                reader.close();
            }
        }

        int active = addServedModels(MODELS);
        long start = System.nanoTime();
        JsonPath first = reconcile();
        System.out.printf("BENCH first reconcile (%d served, %d created across 3 targets): %.0f ms%n", active,
                first.getInt("created"), ms(System.nanoTime() - start));
        assertThat(first.getInt("failed")).isZero();

        long[] durations = new long[RECONCILES];
        for (int i = 0; i < RECONCILES; i++) {
            start = System.nanoTime();
            JsonPath run = reconcile();
            durations[i] = System.nanoTime() - start;
            assertThat(run.getInt("created") + run.getInt("updated") + run.getInt("deleted") + run.getInt("failed"))
                    .isZero();
            assertThat(run.getInt("unchanged")).isEqualTo(MODELS * 3);
        }
        Arrays.sort(durations);
        System.out.printf("BENCH reconcile of %d models x 3 targets with nothing to change, %d runs:%n"
                + "  median %.0f ms, max %.0f ms%n%n", MODELS, RECONCILES, ms(durations[RECONCILES / 2]),
                ms(durations[RECONCILES - 1]));
        for (AidbDatabase target : targets) {
            assertThat(target.models()).hasSize(MODELS);
        }
    }

    /** Sends a registration and returns nanoseconds until its model is in every reachable target. */
    private static long sendAndAwait(List<Connection> readers, String serviceId) throws Exception {
        ServiceRegistered event = registered(serviceId, FunctionType.EMBEDDING, "vllm");
        String name = ModelMapping.aidbName(serviceId);
        long start = System.nanoTime();
        KafkaTestClient.shared().sendEvent(event);
        for (Connection reader : readers) {
            while (!present(reader, name)) {
                if (System.nanoTime() - start > 30_000_000_000L) {
                    throw new AssertionError(name + " not registered within 30 s");
                }
                Thread.sleep(1);
            }
        }
        return System.nanoTime() - start;
    }

    private static boolean present(Connection reader, String name) throws SQLException {
        try (PreparedStatement s = reader.prepareStatement("select 1 from aidb.models where name = ?")) {
            s.setString(1, name);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** Tops the desired state up to {@code total} active services directly in the service database. */
    private int addServedModels(int total) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            int active;
            try (ResultSet rs = c.createStatement().executeQuery("select count(*) from served_model where active")) {
                rs.next();
                active = rs.getInt(1);
            }
            try (PreparedStatement s = c.prepareStatement("insert into served_model (id, service_id, aidb_name,"
                    + " active, model_name, function_types, served_model_name, runtime, internal_url,"
                    + " open_ai_base_path, last_event_at, updated_at) values (?, ?, ?, true, ?, 'CHAT', ?, 'vllm', ?,"
                    + " '/v1', ?, ?)")) {
                Timestamp now = Timestamp.from(Instant.now());
                for (int i = active; i < total; i++) {
                    String serviceId = "bulk/svc-" + i;
                    s.setObject(1, UUID.randomUUID());
                    s.setString(2, serviceId);
                    s.setString(3, ModelMapping.aidbName(serviceId));
                    s.setString(4, "model-" + i);
                    s.setString(5, "svc-" + i);
                    s.setString(6, "http://svc-" + i + ".bulk.svc.cluster.local");
                    s.setTimestamp(7, now);
                    s.setTimestamp(8, now);
                    s.addBatch();
                }
                s.executeBatch();
            }
            return total;
        }
    }

    private static long percentile(long[] sorted, int p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
    }

    private static double ms(long nanos) {
        return nanos / 1_000_000.0;
    }
}
