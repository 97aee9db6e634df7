package io.modelgate.localstack;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
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
import io.modelgate.testing.KServeMockCluster;
import io.modelgate.testing.PostgresServer;
import io.modelgate.testing.RegistryServer;
import io.modelgate.testing.SecretFiles;
import io.modelgate.testing.ServiceProcess;
import io.modelgate.testing.SimulatedKServeController;
import io.modelgate.testing.TestTokens;

/**
 * Runs the whole platform on one machine without Docker: PostgreSQL (embedded binaries) and Kafka (KRaft) with their
 * data kept in the data directory, Zipkin, a local OCI registry wired to registry-sync's webhook, a Kubernetes API (a
 * real cluster when {@code KUBECONFIG} is set, otherwise the fabric8 mock server with the KServe CRDs and a simulated
 * KServe controller), an AIDB stand-in target database, and every service as its own JVM.
 */
public final class LocalStack implements AutoCloseable {

    /** The connection registry-sync knows the local registry by, and the AIDB target model-sync syncs to. */
    static final String REGISTRY_CONNECTION = "local-registry";
    static final String AIDB_TARGET = "local-aidb";
    static final String AIDB_DATABASE = "aidb_local";
    /** Where serving deploys when a request names no namespace. */
    static final String NAMESPACE = "modelgate";

    /** Where everything listens and lives. */
    record Options(Path root, Path data, int postgresPort, int registryPort, int zipkinPort,
            Map<String, Integer> servicePorts, boolean keepKafka) {

        /** The fixed ports the README names; each can be overridden by its environment variable. */
        static Options defaults(Path root, Path data) {
            Map<String, Integer> ports = new LinkedHashMap<>();
            ports.put("registry-sync", port("MODELGATE_REGISTRY_SYNC_PORT", 8081));
            ports.put("scanner", port("MODELGATE_SCANNER_PORT", 8082));
            ports.put("approval", port("MODELGATE_APPROVAL_PORT", 8083));
            ports.put("serving", port("MODELGATE_SERVING_PORT", 8084));
            ports.put("model-sync", port("MODELGATE_MODEL_SYNC_PORT", 8085));
            return new Options(root, data, port("MODELGATE_POSTGRES_PORT", 15432),
                    port("MODELGATE_REGISTRY_PORT", 15000), port("MODELGATE_ZIPKIN_PORT", 9411), ports, true);
        }

        private static int port(String variable, int fallback) {
            return Integer.parseInt(System.getenv().getOrDefault(variable, Integer.toString(fallback)));
        }
    }

    private final Options options;
    private final List<AutoCloseable> running = new ArrayList<>();
    private final Map<String, ServiceProcess> services = new LinkedHashMap<>();
    private final Map<String, Long> startMillis = new LinkedHashMap<>();
    private PostgresServer postgres;
    private EmbeddedKafka kafka;
    private ZipkinServer zipkin;
    private KServeMockCluster kubernetes;
    private RegistryServer registry;
    private Platform platform;
    private String aidbJdbcUrl;
    private long readyMillis;

    private LocalStack(Options options) {
        this.options = options;
    }

    /** Starts everything and returns once every service is ready and the registry and AIDB target are wired. */
    public static LocalStack start(Options options) throws Exception {
        LocalStack stack = new LocalStack(options);
        try {
            stack.startAll();
            return stack;
        } catch (Exception | Error e) {
            stack.close();
            throw e;
        }
    }

    private void startAll() throws Exception {
        long started = System.nanoTime();
        // Initialise logging on this thread before any other starts: two threads initialising JBoss LogManager at once
        // (the HTTP client waiting for Zipkin, the PostgreSQL starter) deadlock.
        java.util.logging.LogManager.getLogManager();
        Path data = options.data();
        Files.createDirectories(data.resolve("logs"));

        // Zipkin is a separate JVM: start it first, it warms up while the rest comes up.
        ExecutorService starter = Executors.newFixedThreadPool(options.servicePorts().size() + 1);
        Path zipkinJar = options.root().resolve("infra/local-stack/target/zipkin/zipkin-server.jar");
        Future<ZipkinServer> zipkinStart = starter.submit(() -> ZipkinServer.start(zipkinJar, options.zipkinPort(),
                data.resolve("logs/zipkin.log"), Duration.ofSeconds(90)));

        postgres = timed("postgres", () -> PostgresServer.start(data.resolve("postgres"), options.postgresPort()));
        running.add(postgres);
        kafka = timed("kafka", () -> options.keepKafka()
                ? EmbeddedKafka.startPersistent(data.resolve("kafka"), Map.of())
                : EmbeddedKafka.start(Map.of()));
        running.add(kafka);
        aidbJdbcUrl = installAidbStandIn(postgres);

        Map<String, String> kubernetesEnv = new HashMap<>();
        if (System.getenv("KUBECONFIG") == null) {
            kubernetes = timed("kubernetes", KServeMockCluster::start);
            running.add(kubernetes);
            installRuntimes(kubernetes);
            running.add(SimulatedKServeController.start(kubernetes.client()));
            kubernetesEnv.put("QUARKUS_KUBERNETES_CLIENT_API_SERVER_URL", kubernetes.url());
            kubernetesEnv.put("QUARKUS_KUBERNETES_CLIENT_TRUST_CERTS", "true");
            kubernetesEnv.put("QUARKUS_KUBERNETES_CLIENT_NAMESPACE", NAMESPACE);
        } else {
            // A real cluster: the client reads the kubeconfig, serving deploys to its namespace.
            kubernetesEnv.put("KUBECONFIG", System.getenv("KUBECONFIG"));
        }
        kubernetesEnv.put("MODELGATE_SERVING_DEFAULT_NAMESPACE",
                System.getenv().getOrDefault("MODELGATE_SERVING_DEFAULT_NAMESPACE", NAMESPACE));
        zipkin = zipkinStart.get();
        running.add(zipkin);

        String modelSyncKey = key(data.resolve("keys/model-sync-credentials.key"));
        String registrySyncKey = key(data.resolve("keys/registry-sync-credentials.key"));
        Map<String, Future<ServiceProcess>> starting = new LinkedHashMap<>();
        for (var service : options.servicePorts().entrySet()) {
            String name = service.getKey();
            Map<String, String> env = serviceEnvironment(postgres.createDatabaseIfMissing(name),
                    kafka.bootstrapServers(), modelSyncKey, registrySyncKey);
            env.put("MODELGATE_TRACING_ZIPKIN_ENDPOINT", zipkin.spansEndpoint());
            // Tracing is off by default (ADR 0004); the local stack traces.
            env.put("QUARKUS_OTEL_SDK_DISABLED", "false");
            // Spans reach the dashboard within a second of the step that made them.
            env.put("QUARKUS_OTEL_BSP_SCHEDULE_DELAY", "500ms");
            if (name.equals("serving")) {
                env.putAll(kubernetesEnv);
            }
            Path jar = ServiceProcess.runJar(options.root().resolve("services").resolve(name));
            starting.put(name, starter.submit(() -> ServiceProcess.start(name, jar, service.getValue(), env,
                    data.resolve("logs").resolve(name + ".log"), Duration.ofSeconds(120))));
        }
        Exception failed = null;
        // Collect every start, also after one failed: a service left running would hold its port.
        for (var entry : starting.entrySet()) {
            try {
                ServiceProcess process = entry.getValue().get();
                services.put(entry.getKey(), process);
                running.add(process);
            } catch (Exception e) {
                failed = failed == null ? e : failed;
            }
        }
        starter.shutdown();
        if (failed != null) {
            throw failed;
        }

        platform = new Platform(this::serviceUrl, adminToken());
        // The registry notifies registry-sync's webhook for its connection, so the connection comes first.
        Platform.Connection connection = platform.ensureConnection(REGISTRY_CONNECTION, registryUrl(),
                data.resolve("keys/registry-webhook.secret"));
        registry = timed("registry", () -> RegistryServer.builder()
                .storage(data.resolve("registry"))
                .port(options.registryPort())
                .notify("registry-sync", serviceUrl("registry-sync") + "/webhooks/" + connection.id(),
                        Map.of("Authorization", "Bearer " + connection.webhookSecret()))
                .start());
        running.add(registry);
        platform.ensureTarget(AIDB_TARGET, aidbJdbcUrl, PostgresServer.USER);
        readyMillis = (System.nanoTime() - started) / 1_000_000;
    }

    /** The environment every service needs here: its database, Kafka, JWT trust and the credentials keys. */
    static Map<String, String> serviceEnvironment(String databaseUrl, String kafka, String modelSyncKey,
            String registrySyncKey) {
        Map<String, String> env = new HashMap<>();
        env.put("MODELGATE_DB_URL", databaseUrl);
        env.put("MODELGATE_DB_USER", PostgresServer.USER);
        env.put("MODELGATE_KAFKA_BOOTSTRAP_SERVERS", kafka);
        env.put("MP_JWT_VERIFY_PUBLICKEY", TestTokens.publicKeyPem());
        env.put("MP_JWT_VERIFY_ISSUER", TestTokens.ISSUER);
        env.put("MODELGATE_MODEL_SYNC_CREDENTIALS_KEY", modelSyncKey);
        env.put("MODELGATE_REGISTRY_SYNC_CREDENTIALS_KEY", registrySyncKey);
        return env;
    }

    /**
     * A 32-byte key made once and kept in the data directory: a new key on every start would make the credentials
     * stored earlier unreadable.
     */
    static String key(Path file) {
        return SecretFiles.readOrCreate(file, () -> {
            byte[] key = new byte[32];
            new SecureRandom().nextBytes(key);
            return Base64.getEncoder().encodeToString(key);
        });
    }

    /** The target database with the AIDB compatibility schema (AIDB itself cannot be installed here). */
    private static String installAidbStandIn(PostgresServer postgres) throws Exception {
        String url = postgres.createDatabaseIfMissing(AIDB_DATABASE);
        try (var connection = java.sql.DriverManager.getConnection(url, PostgresServer.USER, "");
                var statement = connection.createStatement();
                var schema = statement.executeQuery("select 1 from pg_namespace where nspname = 'aidb'")) {
            if (!schema.next()) {
                try (InputStream in = LocalStack.class.getResourceAsStream("/aidb-compat.sql")) {
                    statement.execute(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
                }
            }
        }
        return url;
    }

    /** The stock vLLM ClusterServingRuntime, as a KServe installation ships it (libs/testing has the KServe files). */
    private static void installRuntimes(KServeMockCluster cluster) throws IOException {
        try (InputStream in = LocalStack.class.getResourceAsStream("/kserve/runtime-kserve-vllmserver.yaml")) {
            // The mock cluster starts empty on every start.
            cluster.client().load(in).create();
        }
    }

    private <T> T timed(String what, ThrowingSupplier<T> start) throws Exception {
        long begin = System.nanoTime();
        T value = start.get();
        startMillis.put(what, (System.nanoTime() - begin) / 1_000_000);
        return value;
    }

    @FunctionalInterface
    private interface ThrowingSupplier<T> {
        T get() throws Exception;
    }

    String serviceUrl(String name) {
        ServiceProcess process = services.get(name);
        return process != null ? process.url() : "http://127.0.0.1:" + options.servicePorts().get(name);
    }

    String registryUrl() {
        return "http://127.0.0.1:" + options.registryPort();
    }

    String zipkinUrl() {
        return zipkin.url();
    }

    String aidbJdbcUrl() {
        return aidbJdbcUrl;
    }

    Platform platform() {
        return platform;
    }

    static String adminToken() {
        return TestTokens.forUser("local-admin", "modelgate-admin", "modelgate-operator", "modelgate-viewer");
    }

    private void print() {
        System.out.println();
        System.out.printf("%-14s %-24s %10s %8s%n", "service", "url", "ready ms", "RSS MiB");
        for (ServiceProcess service : services.values()) {
            System.out.printf("%-14s %-24s %10d %8d%n", service.name(), service.url(), service.readyMillis(),
                    service.rssMiB());
        }
        System.out.println();
        System.out.println("Kafka        " + kafka.bootstrapServers() + " (KRaft, in this process; data in "
                + options.data().resolve("kafka") + ")");
        System.out.println("PostgreSQL   " + postgres.jdbcUrl("<service>") + " user postgres (data in "
                + options.data().resolve("postgres") + ")");
        System.out.println("Registry     " + registryUrl() + " (distribution 2.8; connection '" + REGISTRY_CONNECTION
                + "', pushes notify registry-sync's webhook)");
        System.out.println("Zipkin       " + zipkin.url() + " (traces of every service)");
        System.out.println(kubernetes != null
                ? "Kubernetes   " + kubernetes.url() + " LOCAL SIMULATION: fabric8 mock API server with the KServe"
                        + " CRDs; a simulated KServe controller marks InferenceServices Ready (nothing really runs)"
                : "Kubernetes   the cluster of KUBECONFIG=" + System.getenv("KUBECONFIG"));
        System.out.println("AIDB         " + aidbJdbcUrl + " (target '" + AIDB_TARGET
                + "': the AIDB compatibility schema, a stand-in for the AIDB extension)");
        System.out.println("Logs         " + options.data().resolve("logs"));
        System.out.println("APIs         <url>/q/swagger-ui, health <url>/q/health, metrics <url>/q/metrics");
        System.out.println("Admin token (1 h): " + adminToken());
        System.out.println("Start-up ms  " + startMillis);
        System.out.printf("%nAll %d services ready, registry and AIDB target wired, in %d ms. Run bin/demo in"
                + " another terminal; Ctrl-C stops everything.%n", services.size(), readyMillis);
    }

    @Override
    public void close() {
        for (int i = running.size() - 1; i >= 0; i--) {
            try {
                running.get(i).close();
            } catch (Exception e) {
                System.err.println("  stop failed: " + e);
            }
        }
        running.clear();
    }

    public static void main(String[] args) throws Exception {
        Path root = Path.of(System.getProperty("modelgate.root", ".")).toAbsolutePath().normalize();
        Path data = Path.of(System.getenv().getOrDefault("MODELGATE_DATA_DIR", root.resolve("data").toString()))
                .toAbsolutePath();
        System.out.println("Starting Modelgate on embedded defaults (data in " + data + ")");
        CountDownLatch stopped = new CountDownLatch(1);
        LocalStack[] stack = new LocalStack[1];
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("\nStopping Modelgate...");
            if (stack[0] != null) {
                stack[0].close();
            }
            stopped.countDown();
            System.out.println("Stopped.");
            // Everything this launcher started is closed; a library's own shutdown hook (Kafka's threads, say) must
            // not keep the process, and with it the data directory's locks, alive.
            Runtime.getRuntime().halt(0);
        }, "local-stack-stop"));
        try {
            stack[0] = start(Options.defaults(root, data));
        } catch (Exception e) {
            // Whatever was started is stopped; a library's leftover threads must not keep the process alive.
            e.printStackTrace();
            Runtime.getRuntime().halt(1);
        }
        stack[0].print();
        stopped.await();
    }
}
