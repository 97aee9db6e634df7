package io.modelgate.localstack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.modelgate.testing.EmbeddedKafka;
import io.modelgate.testing.PostgresServer;
import io.modelgate.testing.ServiceProcess;
import io.modelgate.testing.TestTokens;

/**
 * Runs the whole platform on one machine without Docker: PostgreSQL (embedded binaries, data kept in the data
 * directory), Kafka in KRaft mode, and every service as its own JVM, each with its own database. Prints where each
 * listens, how long it took to become ready and its memory; Ctrl-C stops everything.
 */
public final class LocalStack {

    /** Services in start order, with their HTTP ports. */
    static final Map<String, Integer> SERVICES = new LinkedHashMap<>();

    static {
        SERVICES.put("registry-sync", 8081);
        SERVICES.put("scanner", 8082);
        SERVICES.put("approval", 8083);
        SERVICES.put("serving", 8084);
        SERVICES.put("model-sync", 8085);
    }

    private LocalStack() {
    }

    /** What every service needs to run here: its database, Kafka, JWT trust, and model-sync's credentials key. */
    static Map<String, String> serviceEnvironment(String databaseUrl, String kafka, String credentialsKey) {
        Map<String, String> env = new HashMap<>();
        env.put("MODELGATE_DB_URL", databaseUrl);
        env.put("MODELGATE_DB_USER", PostgresServer.USER);
        env.put("MODELGATE_KAFKA_BOOTSTRAP_SERVERS", kafka);
        env.put("MP_JWT_VERIFY_PUBLICKEY", TestTokens.publicKeyPem());
        env.put("MP_JWT_VERIFY_ISSUER", TestTokens.ISSUER);
        env.put("MODELGATE_MODEL_SYNC_CREDENTIALS_KEY", credentialsKey);
        return env;
    }

    /**
     * model-sync's key for target passwords, made once and kept in the data directory: a new key on every start would
     * make the passwords stored earlier unreadable.
     */
    static String credentialsKey(Path file) throws IOException {
        if (!Files.exists(file)) {
            byte[] key = new byte[32];
            new SecureRandom().nextBytes(key);
            Files.createDirectories(file.getParent());
            Files.writeString(file, Base64.getEncoder().encodeToString(key));
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        }
        return Files.readString(file).strip();
    }

    public static void main(String[] args) throws Exception {
        Path root = Path.of(System.getProperty("modelgate.root", ".")).toAbsolutePath().normalize();
        Path data = Path.of(System.getenv().getOrDefault("MODELGATE_DATA_DIR", root.resolve("data").toString()))
                .toAbsolutePath();
        int postgresPort = Integer.parseInt(System.getenv().getOrDefault("MODELGATE_POSTGRES_PORT", "15432"));
        Files.createDirectories(data.resolve("logs"));
        long started = System.nanoTime();

        List<AutoCloseable> running = new ArrayList<>();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("\nStopping Modelgate...");
            for (int i = running.size() - 1; i >= 0; i--) {
                try {
                    running.get(i).close();
                } catch (Exception e) {
                    System.err.println("  stop failed: " + e);
                }
            }
            stopped.countDown();
        }, "local-stack-stop"));

        System.out.println("Starting Modelgate on embedded defaults (data in " + data + ")");
        PostgresServer postgres = PostgresServer.start(data.resolve("postgres"), postgresPort);
        running.add(postgres);
        EmbeddedKafka kafka = EmbeddedKafka.start(Map.of());
        running.add(kafka);
        String credentialsKey = credentialsKey(data.resolve("keys/model-sync-credentials.key"));

        ExecutorService starter = Executors.newFixedThreadPool(SERVICES.size());
        Map<String, Future<ServiceProcess>> starting = new LinkedHashMap<>();
        for (var service : SERVICES.entrySet()) {
            String name = service.getKey();
            Map<String, String> env = serviceEnvironment(postgres.createDatabaseIfMissing(name),
                    kafka.bootstrapServers(), credentialsKey);
            Path jar = ServiceProcess.runJar(root.resolve("services").resolve(name));
            starting.put(name, starter.submit(() -> ServiceProcess.start(name, jar, service.getValue(), env,
                    data.resolve("logs").resolve(name + ".log"), Duration.ofSeconds(90))));
        }
        List<ServiceProcess> services = new ArrayList<>();
        for (var entry : starting.entrySet()) {
            ServiceProcess process = entry.getValue().get();
            services.add(process);
            running.add(process);
        }
        starter.shutdown();
        long allReady = Duration.ofNanos(System.nanoTime() - started).toMillis();

        System.out.println();
        System.out.printf("%-14s %-24s %10s %8s%n", "service", "url", "ready ms", "RSS MiB");
        for (ServiceProcess service : services) {
            System.out.printf("%-14s %-24s %10d %8d%n", service.name(), service.url(), service.readyMillis(),
                    service.rssMiB());
        }
        System.out.println();
        System.out.println("Kafka       " + kafka.bootstrapServers() + " (KRaft, in this process)");
        System.out.println("PostgreSQL  " + postgres.jdbcUrl("<service>") + " user postgres (data kept in "
                + data.resolve("postgres") + ")");
        System.out.println("Logs        " + data.resolve("logs"));
        System.out.println("APIs        <url>/q/swagger-ui, health <url>/q/health, metrics <url>/q/metrics");
        System.out.println("Admin token (1 h): " + TestTokens.forUser("local-admin", "modelgate-admin",
                "modelgate-operator", "modelgate-approver", "modelgate-viewer"));
        System.out.printf("%nAll %d services ready in %d ms. Ctrl-C stops everything.%n", services.size(), allReady);
        stopped.await();
    }

}
