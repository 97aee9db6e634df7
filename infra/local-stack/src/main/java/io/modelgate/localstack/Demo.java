package io.modelgate.localstack;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.modelgate.testing.OciImages;
import io.modelgate.testing.PostgresServer;
import io.modelgate.testing.TestTokens;

/**
 * The first-hour demo against a running local stack: pushes two annotated model images to the local registry, sets up
 * a repository rule and an approval policy, and follows each image through discovery, scan, approval, deployment and
 * AIDB registration, printing every step with its timing. One image can be auto-approved by policy (when its scan
 * passes, which needs Trivy); the other always waits for a person, and the demo prints the approve call, then makes it
 * as the user {@code demo-approver} so the walk goes on (with {@code --wait-for-approval} it waits for someone else).
 */
public final class Demo {

    static final String RULE = "demo-models";
    static final String POLICY = "demo";
    static final Duration STEP_TIMEOUT = Duration.ofSeconds(90);

    /** One image's walk through the platform: its digest, trace and the time each step took. */
    public record Walk(String model, String digest, String verdict, String approvedBy, String aidbName,
            Map<String, Long> stepMillis, long totalMillisExcludingApproval) {
    }

    private final Platform platform;
    private final String registryUrl;
    private final String aidbJdbcUrl;
    private final String zipkinUrl;
    private final boolean waitForApproval;
    private final String approverToken = TestTokens.forUser("demo-approver", "modelgate-approver");

    Demo(Platform platform, String registryUrl, String aidbJdbcUrl, String zipkinUrl, boolean waitForApproval) {
        this.platform = platform;
        this.registryUrl = registryUrl;
        this.aidbJdbcUrl = aidbJdbcUrl;
        this.zipkinUrl = zipkinUrl;
        this.waitForApproval = waitForApproval;
    }

    /** Runs the demo: sets up the rule and policy, pushes both images and walks each to AIDB. */
    List<Walk> run() throws Exception {
        String connectionId = connectionId();
        step("Repository rule '" + RULE + "' on connection '" + LocalStack.REGISTRY_CONNECTION + "'",
                () -> ensureRule(connectionId));
        step("Approval policy '" + POLICY + "' (passing scans of Apache-2.0 models auto-approve; everything else,"
                + " ERROR included, waits for one approver)", this::ensurePolicy);

        String run = Long.toString(System.currentTimeMillis(), 36);
        OciImages images = OciImages.anonymous(registryUrl);
        Map<String, Map<String, String>> models = new LinkedHashMap<>();
        models.put("demo/tinychat", Map.of(
                "io.modelgate.model.name", "tinychat",
                "io.modelgate.model.version", "1.0." + run,
                "io.modelgate.model.publisher", "Modelgate demo",
                "io.modelgate.model.function-types", "chat",
                "io.modelgate.model.license", "apache-2.0",
                "io.modelgate.model.parameter-count", "1.1B",
                "io.modelgate.model.context-length", "2048",
                "io.modelgate.model.cpu", "2",
                "io.modelgate.model.memory", "8Gi"));
        models.put("demo/tinyembed", Map.of(
                "io.modelgate.model.name", "tinyembed",
                "io.modelgate.model.version", "1.0." + run,
                "io.modelgate.model.publisher", "Modelgate demo",
                "io.modelgate.model.function-types", "embedding",
                "io.modelgate.model.license", "llama3.1",
                "io.modelgate.model.parameter-count", "335M",
                "io.modelgate.model.cpu", "1",
                "io.modelgate.model.memory", "4Gi"));

        List<Walk> walks = new ArrayList<>();
        for (var model : models.entrySet()) {
            long pushStart = System.nanoTime();
            String tag = "1.0." + run;
            String digest = images.push(model.getKey(), tag, "weights of " + model.getKey() + " " + run, Map.of(),
                    model.getValue()).digest();
            System.out.printf("%n== %s:%s pushed to %s (%s) in %d ms%n", model.getKey(), tag, registryUrl, digest,
                    millisSince(pushStart));
            walks.add(walk(model.getValue().get("io.modelgate.model.name"), digest, pushStart));
        }
        System.out.println();
        System.out.println("Summary");
        for (Walk walk : walks) {
            System.out.printf("  %-10s verdict %-5s approved by %-28s AIDB model %-24s %6d ms push→AIDB excluding"
                    + " approval%n", walk.model(), walk.verdict(), walk.approvedBy(), walk.aidbName(),
                    walk.totalMillisExcludingApproval());
        }
        System.out.println("Traces: " + zipkinUrl + "/zipkin/ (search messaging.kafka.message.key=<digest>)");
        return walks;
    }

    private Walk walk(String model, String digest, long pushStart) throws Exception {
        Map<String, Long> steps = new LinkedHashMap<>();
        long stepStart = System.nanoTime();
        JsonNode discovery = await("discovered by registry-sync (webhook)", () -> {
            JsonNode found = platform.get("registry-sync", "/api/v1/discoveries?digest=" + Platform.query(digest));
            return found.size() > 0 ? found.get(0) : null;
        });
        steps.put("discovery", millisSince(stepStart));
        System.out.printf("  %-46s %6d ms%n", "discovered by registry-sync ("
                + discovery.path("discoveredBy").asText("webhook").toLowerCase() + ")", steps.get("discovery"));

        stepStart = System.nanoTime();
        JsonNode scan = await("scanned", () -> {
            JsonNode found = tryGet("scanner", "/api/v1/scans/" + Platform.query(digest));
            return found != null && !found.path("verdict").isMissingNode() && !found.path("verdict").isNull()
                    ? found
                    : null;
        });
        steps.put("scan", millisSince(stepStart));
        String verdict = scan.path("verdict").asText();
        System.out.printf("  %-46s %6d ms  verdict %s%s%n", "scanned by scanner", steps.get("scan"), verdict,
                scan.path("reasons").isEmpty() ? "" : " — " + scan.path("reasons").get(0).asText());

        stepStart = System.nanoTime();
        JsonNode version = await("decided by the approval policy", () -> {
            JsonNode page = platform.get("approval", "/api/v1/versions?digest=" + Platform.query(digest));
            JsonNode item = page.path("items").path(0);
            String state = item.path("state").asText("");
            return state.equals("APPROVED") || state.equals("PENDING_APPROVAL") || state.equals("REJECTED")
                    ? item
                    : null;
        });
        steps.put("policy", millisSince(stepStart));
        String versionId = version.path("id").asText();
        System.out.printf("  %-46s %6d ms  %s by %s%n", "decided by approval", steps.get("policy"),
                version.path("state").asText(), version.path("stateActor").asText());
        long approvalMillis = 0;
        String approvedBy = version.path("stateActor").asText();
        if (version.path("state").asText().equals("REJECTED")) {
            throw new IllegalStateException(model + " was rejected: " + version);
        }
        if (version.path("state").asText().equals("PENDING_APPROVAL")) {
            String call = "curl -X POST -H 'Authorization: Bearer <approver token>' -H 'Content-Type:"
                    + " application/json' -d '{\"decision\":\"APPROVE\",\"comment\":\"reviewed\"}' "
                    + platform.url("approval") + "/api/v1/versions/" + versionId + "/decisions";
            System.out.println("  waiting for a person (policy " + version.path("policyRule").asText() + "). Approve:");
            System.out.println("    " + call);
            long approvalStart = System.nanoTime();
            if (!waitForApproval) {
                ObjectNode decision = Platform.json()
                        .createObjectNode()
                        .put("decision", "APPROVE")
                        .put("comment", "approved by the demo");
                platform.call("approval", "POST", "/api/v1/versions/" + versionId + "/decisions", decision,
                        approverToken);
                System.out.println("  approved as demo-approver");
            }
            JsonNode approved = await("approved by a person", Duration.ofMinutes(waitForApproval ? 30 : 1), () -> {
                JsonNode v = platform.get("approval", "/api/v1/versions/" + versionId);
                return v.path("state").asText().equals("APPROVED") ? v : null;
            });
            approvedBy = approved.path("stateActor").asText();
            approvalMillis = millisSince(approvalStart);
        }

        stepStart = System.nanoTime();
        String name = model + "-" + digest.substring(digest.indexOf(':') + 1, digest.indexOf(':') + 9);
        ObjectNode deploy = Platform.json()
                .createObjectNode()
                .put("name", name)
                .put("runtime", "vllm")
                .put("deploymentMode", "RawDeployment");
        deploy.putObject("model").put("digest", digest);
        // The approval reaches serving through Kafka: a deploy sent too early is refused (403) until it has.
        JsonNode deployment = await("deployment accepted by serving", () -> {
            try {
                return platform.post("serving", "/api/v1/deployments", deploy);
            } catch (Platform.ApiException e) {
                if (e.status() == 403) {
                    return null;
                }
                throw e;
            }
        });
        String namespace = deployment.path("namespace").asText();
        steps.put("deploy", millisSince(stepStart));
        System.out.printf("  %-46s %6d ms  InferenceService %s/%s%n", "deployed by serving", steps.get("deploy"),
                namespace, name);

        stepStart = System.nanoTime();
        JsonNode registered = await("Ready and registered", () -> {
            JsonNode d = platform.get("serving", "/api/v1/deployments/" + namespace + "/" + name);
            return d.path("status").path("registered").asBoolean() ? d : null;
        });
        steps.put("ready", millisSince(stepStart));
        System.out.printf("  %-46s %6d ms  %s%n", "Ready, ServiceRegistered", steps.get("ready"),
                registered.path("status").path("internalUrl").asText());

        stepStart = System.nanoTime();
        String serviceId = namespace + "/" + name;
        JsonNode served = await("registered in AIDB", () -> {
            for (JsonNode s : platform.get("model-sync", "/api/v1/sync/served")) {
                if (serviceId.equals(s.path("serviceId").asText())
                        && aidbHas(s.path("aidbName").asText()) != null) {
                    return s;
                }
            }
            return null;
        });
        steps.put("aidb", millisSince(stepStart));
        String aidbName = served.path("aidbName").asText();
        System.out.printf("  %-46s %6d ms  aidb.models: %s (provider %s)%n", "registered in AIDB by model-sync",
                steps.get("aidb"), aidbName, aidbHas(aidbName));
        long total = millisSince(pushStart) - approvalMillis;
        return new Walk(model, digest, verdict, approvedBy, aidbName, steps, total);
    }

    /** The provider of the AIDB model {@code name} in the target database, or null if it is not there. */
    private String aidbHas(String name) throws Exception {
        try (Connection c = DriverManager.getConnection(aidbJdbcUrl, PostgresServer.USER, "");
                PreparedStatement s = c.prepareStatement("select provider from aidb.models where name = ?")) {
            s.setString(1, name);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    private String connectionId() {
        for (JsonNode connection : platform.get("registry-sync", "/api/v1/connections")) {
            if (LocalStack.REGISTRY_CONNECTION.equals(connection.path("name").asText())) {
                return connection.path("id").asText();
            }
        }
        throw new IllegalStateException("No registry connection '" + LocalStack.REGISTRY_CONNECTION
                + "': is the local stack (bin/run-local) running?");
    }

    private void ensureRule(String connectionId) {
        for (JsonNode rule : platform.get("registry-sync", "/api/v1/connections/" + connectionId + "/rules")) {
            if (RULE.equals(rule.path("name").asText())) {
                return;
            }
        }
        platform.post("registry-sync", "/api/v1/connections/" + connectionId + "/rules", Platform.json()
                .createObjectNode()
                .put("name", RULE)
                .put("repositoryMatch", "GLOB")
                .put("repository", "demo/**")
                .put("tagFilter", "ALL"));
    }

    private void ensurePolicy() {
        for (JsonNode policy : platform.get("approval", "/api/v1/policies")) {
            if (POLICY.equals(policy.path("name").asText())) {
                if (!policy.path("active").asBoolean()) {
                    platform.post("approval", "/api/v1/policies/" + policy.path("id").asText() + "/activation",
                            null);
                }
                return;
            }
        }
        ObjectNode body = Platform.json().createObjectNode().put("name", POLICY).put("onRescanFailure", "REVOKE");
        ArrayNode rules = body.putArray("rules");
        ObjectNode auto = rules.addObject().put("name", "passing-apache-2.0");
        ObjectNode autoWhen = auto.putObject("when");
        autoWhen.putArray("verdicts").add("PASS");
        autoWhen.putArray("licenses").add("apache-2.0");
        auto.putObject("outcome").put("action", "AUTO_APPROVE");
        ObjectNode review = rules.addObject().put("name", "needs-review");
        review.putObject("when").putArray("verdicts").add("PASS").add("ERROR");
        review.putObject("outcome").put("action", "REQUIRE_APPROVALS").put("approvals", 1);
        body.putObject("defaultOutcome").put("action", "REJECT");
        platform.post("approval", "/api/v1/policies?activate=true", body);
    }

    private JsonNode tryGet(String service, String path) {
        try {
            return platform.get(service, path);
        } catch (Platform.ApiException e) {
            if (e.status() == 404) {
                return null;
            }
            throw e;
        }
    }

    private static void step(String what, Runnable action) {
        long start = System.nanoTime();
        action.run();
        System.out.printf("%-100s %6d ms%n", what, millisSince(start));
    }

    @FunctionalInterface
    private interface Probe {
        JsonNode get() throws Exception;
    }

    private static JsonNode await(String what, Probe probe) throws Exception {
        return await(what, STEP_TIMEOUT, probe);
    }

    private static JsonNode await(String what, Duration timeout, Probe probe) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            JsonNode value = probe.get();
            if (value != null) {
                return value;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Not " + what + " within " + timeout + "; see the logs in"
                        + " data/logs");
            }
            Thread.sleep(50);
        }
    }

    private static long millisSince(long start) {
        return (System.nanoTime() - start) / 1_000_000;
    }

    public static void main(String[] args) throws Exception {
        Path root = Path.of(System.getProperty("modelgate.root", ".")).toAbsolutePath().normalize();
        LocalStack.Options options = LocalStack.Options.defaults(root, root.resolve("data"));
        Platform platform = new Platform(name -> "http://127.0.0.1:" + options.servicePorts().get(name),
                LocalStack.adminToken());
        String aidb = "jdbc:postgresql://127.0.0.1:" + options.postgresPort() + "/" + LocalStack.AIDB_DATABASE;
        boolean wait = List.of(args).contains("--wait-for-approval");
        long start = System.nanoTime();
        new Demo(platform, "http://127.0.0.1:" + options.registryPort(), aidb,
                "http://127.0.0.1:" + options.zipkinPort(), wait).run();
        System.out.printf("Demo finished in %d ms%n", millisSince(start));
    }
}
