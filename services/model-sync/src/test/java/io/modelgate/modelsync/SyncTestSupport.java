package io.modelgate.modelsync;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

import io.modelgate.events.FunctionType;
import io.modelgate.events.ServiceDeregistered;
import io.modelgate.events.ServiceKind;
import io.modelgate.events.ServiceRegistered;
import io.modelgate.platform.security.Roles;
import io.modelgate.testing.TestTokens;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

/** Calls of the model-sync API and events from serving, shared by the tests and the benchmark. */
public final class SyncTestSupport {

    public static final String ADMIN = TestTokens.forUser("ada", Roles.ADMIN);
    public static final String VIEWER = TestTokens.forUser("vera", Roles.VIEWER);

    private SyncTestSupport() {
    }

    /** Registers a target through the API and returns its id. */
    public static String createTarget(String name, String jdbcUrl, String password, String location,
            boolean reachable) {
        return given().auth()
                .oauth2(ADMIN)
                .contentType(ContentType.JSON)
                .body(Map.of("name", name, "jdbcUrl", jdbcUrl, "username", "postgres", "password", password,
                        "location", location, "reachable", reachable, "enabled", true))
                .post("/api/v1/targets")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
    }

    public static ServiceRegistered registered(String serviceId, FunctionType type, String runtime) {
        return ServiceRegistered.of(serviceId, ServiceKind.KSERVE, "model-" + serviceId.replace('/', '-'),
                UUID.randomUUID().toString(), "1", null, List.of(type), serviceId.substring(serviceId.indexOf('/') + 1),
                runtime, null, "http://" + serviceId.replace('/', '.') + ".svc.cluster.local", null, "/v1");
    }

    public static ServiceDeregistered deregistered(String serviceId) {
        return ServiceDeregistered.of(serviceId, ServiceKind.KSERVE, "model-" + serviceId.replace('/', '-'), null,
                null, "deleted by operator");
    }

    /** Waits until the sync pass of an event is recorded, and returns it with its results. */
    public static JsonPath awaitRun(UUID eventId) {
        String runId = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(() -> {
            List<Map<String, Object>> runs = given().auth()
                    .oauth2(VIEWER)
                    .queryParam("trigger", "EVENT")
                    .queryParam("limit", 200)
                    .get("/api/v1/sync/runs")
                    .then()
                    .statusCode(200)
                    .extract()
                    .jsonPath()
                    .getList("$");
            return runs.stream()
                    .filter(run -> eventId.toString().equals(run.get("eventId")))
                    .map(run -> (String) run.get("id"))
                    .findFirst()
                    .orElse(null);
        }, id -> id != null);
        return given().auth()
                .oauth2(VIEWER)
                .get("/api/v1/sync/runs/" + runId)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
    }

    /** The result of a run for one target and one model; {@code aidbName} null is the target-wide result. */
    public static Map<String, Object> result(JsonPath run, String target, String aidbName) {
        List<Map<String, Object>> results = run.getList("results");
        return results.stream()
                .filter(r -> target.equals(r.get("target")) && Objects.equals(aidbName, r.get("aidbName")))
                .findFirst()
                .orElseThrow(() -> new AssertionError("No result for " + target + "/" + aidbName + " in " + results));
    }

    /** Changes a target through the API, with the password when one is given; returns the response's status. */
    public static int updateTarget(String id, String name, String jdbcUrl, String password, String location,
            boolean reachable, boolean enabled) {
        Map<String, Object> body = new java.util.HashMap<>(Map.of("name", name, "jdbcUrl", jdbcUrl, "username",
                "postgres", "location", location, "reachable", reachable, "enabled", enabled));
        if (password != null) {
            body.put("password", password);
        }
        return given().auth()
                .oauth2(ADMIN)
                .contentType(ContentType.JSON)
                .body(body)
                .put("/api/v1/targets/" + id)
                .then()
                .extract()
                .statusCode();
    }

    public static void deleteTarget(String id) {
        given().auth().oauth2(ADMIN).delete("/api/v1/targets/" + id).then().statusCode(204);
    }

    public static JsonPath reconcile() {
        return given().auth()
                .oauth2(ADMIN)
                .post("/api/v1/sync/reconcile")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
    }
}
