package io.modelgate.localstack;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.modelgate.testing.EmbeddedKafka;
import io.modelgate.testing.FreePorts;
import io.modelgate.testing.PostgresServer;
import io.modelgate.testing.ServiceProcess;

/**
 * Start-up figures per service: each started alone (so the two cores are not shared with its siblings) against running
 * Kafka and PostgreSQL, several times; prints time to ready and resident memory once ready.
 */
public final class StartupBenchmark {

    private StartupBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int runs = Integer.getInteger("bench.runs", 3);
        Path root = Path.of(System.getProperty("modelgate.root", ".")).toAbsolutePath().normalize();
        Path logs = Files.createTempDirectory("modelgate-startup");
        String modelSyncKey = LocalStack.key(logs.resolve("model-sync-credentials.key"));
        String registrySyncKey = LocalStack.key(logs.resolve("registry-sync-credentials.key"));
        try (PostgresServer postgres = PostgresServer.start(null, 0);
                EmbeddedKafka kafka = EmbeddedKafka.start(Map.of())) {
            System.out.printf("%-14s %8s %8s %8s %8s%n", "service", "best ms", "worst ms", "RSS MiB", "runs");
            for (String name : LocalStack.Options.defaults(root, logs).servicePorts().keySet()) {
                Path jar = ServiceProcess.runJar(root.resolve("services").resolve(name));
                String db = postgres.createDatabaseIfMissing(name.replace('-', '_'));
                List<Long> ready = new ArrayList<>();
                long rss = 0;
                for (int run = 0; run < runs; run++) {
                    try (ServiceProcess service = ServiceProcess.start(name, jar, FreePorts.next(),
                            LocalStack.serviceEnvironment(db, kafka.bootstrapServers(), modelSyncKey, registrySyncKey),
                            logs.resolve(name + ".log"), Duration.ofSeconds(60))) {
                        ready.add(service.readyMillis());
                        // Let start-up work settle (JIT, first Kafka metadata) before reading memory.
                        Thread.sleep(2000);
                        rss = Math.max(rss, service.rssMiB());
                    }
                }
                System.out.printf("%-14s %8d %8d %8d %8d%n", name, ready.stream()
                        .mapToLong(Long::longValue)
                        .min()
                        .orElse(-1), ready.stream().mapToLong(Long::longValue).max().orElse(-1), rss, runs);
            }
        }
    }
}
