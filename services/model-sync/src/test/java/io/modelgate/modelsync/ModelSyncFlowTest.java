package io.modelgate.modelsync;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.modelgate.events.FunctionType;
import io.modelgate.events.ServiceKind;
import io.modelgate.events.ServiceRegistered;
import io.modelgate.testing.KafkaTestClient;
import io.modelgate.testing.ModelgateTestResources;
import io.modelgate.testing.PostgresServer;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

import static io.modelgate.modelsync.SyncTestSupport.ADMIN;
import static io.modelgate.modelsync.SyncTestSupport.VIEWER;
import static io.modelgate.modelsync.SyncTestSupport.awaitRun;
import static io.modelgate.modelsync.SyncTestSupport.createTarget;
import static io.modelgate.modelsync.SyncTestSupport.deleteTarget;
import static io.modelgate.modelsync.SyncTestSupport.deregistered;
import static io.modelgate.modelsync.SyncTestSupport.reconcile;
import static io.modelgate.modelsync.SyncTestSupport.registered;
import static io.modelgate.modelsync.SyncTestSupport.result;
import static io.modelgate.modelsync.SyncTestSupport.updateTarget;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Events from serving and reconciles against real target databases: two reachable AIDB databases (the compatibility
 * schema on embedded PostgreSQL) and a secondary one that cannot reach the platform. Each test deregisters what it
 * registered and removes the targets it added, so the counts of one never depend on another having run.
 */
@QuarkusTest
@QuarkusTestResource(ModelgateTestResources.class)
class ModelSyncFlowTest {

    @Inject
    DataSource dataSource;

    private static AidbDatabase primary;
    private static AidbDatabase replica;
    private static AidbDatabase remote;
    private static AidbDatabase disabled;

    /** Services a test registered: deregistered after it, so that no test sees another's served state. */
    private final Set<String> registeredServices = new LinkedHashSet<>();

    @BeforeEach
    void targets() {
        if (primary == null) {
            primary = AidbDatabase.create("aidb_primary");
            replica = AidbDatabase.create("aidb_replica");
            remote = AidbDatabase.create("aidb_remote");
            createTarget("primary", primary.jdbcUrl, "s3cret-primary", "PRIMARY", true);
            createTarget("replica", replica.jdbcUrl, "s3cret-replica", "PRIMARY", true);
            createTarget("remote", remote.jdbcUrl, "s3cret-remote", "SECONDARY", false);
            disabled = AidbDatabase.create("aidb_disabled");
            String id = createTarget("disabled", disabled.jdbcUrl, "s3cret-disabled", "PRIMARY", true);
            given().auth()
                    .oauth2(ADMIN)
                    .contentType(ContentType.JSON)
                    .body(Map.of("name", "disabled", "jdbcUrl", disabled.jdbcUrl, "username", "postgres", "location",
                            "PRIMARY", "reachable", true, "enabled", false))
                    .put("/api/v1/targets/" + id)
                    .then()
                    .statusCode(200);
        }
    }

    @AfterEach
    void deregisterWhatTheTestRegistered() {
        for (String serviceId : registeredServices) {
            var gone = deregistered(serviceId);
            KafkaTestClient.shared().sendEvent(gone);
            awaitRun(gone.eventId());
        }
        assertThat(given().auth()
                .oauth2(VIEWER)
                .get("/api/v1/sync/served")
                .then()
                .extract()
                .jsonPath()
                .getList("$")).isEmpty();
    }

    /** Sends a registration and remembers the service for clean-up. */
    private ServiceRegistered send(ServiceRegistered event) {
        registeredServices.add(event.serviceId());
        KafkaTestClient.shared().sendEvent(event);
        return event;
    }

    @Test
    void registrationReachesEveryReachableTargetAndSkipsTheUnreachable() {
        ServiceRegistered event = send(registered("team-a/llama-chat", FunctionType.CHAT, "vllm"));

        JsonPath run = awaitRun(event.eventId());
        String name = "mg_team_a__llama_chat";
        for (AidbDatabase target : List.of(primary, replica)) {
            AidbDatabase.Model model = target.models().get(name);
            assertThat(model).isNotNull();
            assertThat(model.provider()).isEqualTo("openai_completions");
            assertThat(model.options().path("model").asText()).isEqualTo("llama-chat");
            assertThat(model.options().path("url").asText())
                    .isEqualTo("http://team-a.llama-chat.svc.cluster.local/v1");
            assertThat(model.options().path("modelgate").path("owned").asBoolean()).isTrue();
            assertThat(model.options().path("modelgate").path("serviceId").asText()).isEqualTo("team-a/llama-chat");
        }
        assertThat(remote.models()).doesNotContainKey(name);
        assertThat(disabled.models()).isEmpty();
        assertThat(run.getList("results.target")).doesNotContain("disabled");
        assertThat(result(run, "primary", name)).containsEntry("outcome", "CREATED");
        assertThat(result(run, "replica", name)).containsEntry("outcome", "CREATED");
        assertThat(result(run, "remote", name)).containsEntry("outcome", "SKIPPED");
        assertThat((String) result(run, "remote", name).get("reason")).contains("cannot reach");
        // Read from the catalog: the compatibility schema has credentials but no named credentials.
        List<Map<String, Object>> targets = given().auth()
                .oauth2(VIEWER)
                .get("/api/v1/targets")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("$");
        assertThat(targets).filteredOn(t -> "primary".equals(t.get("name")))
                .extracting(t -> t.get("credentialSupport"))
                .containsExactly("PROVIDER_USER_MAPPING");

        // Read once: a further event neither reads the catalog again nor writes the target.
        Object checkedAt = catalogCheckedAt("primary");
        assertThat(checkedAt).isNotNull();
        ServiceRegistered again = send(registered("team-a/llama-chat", FunctionType.CHAT, "vllm"));
        assertThat(result(awaitRun(again.eventId()), "primary", name)).containsEntry("outcome", "UPDATED");
        assertThat(catalogCheckedAt("primary")).isEqualTo(checkedAt);
    }

    private static Object catalogCheckedAt(String target) {
        List<Map<String, Object>> targets = given().auth()
                .oauth2(VIEWER)
                .get("/api/v1/targets")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("$");
        return targets.stream()
                .filter(t -> target.equals(t.get("name")))
                .findFirst()
                .orElseThrow()
                .get("catalogCheckedAt");
    }

    @Test
    void nimRuntimesUseTheNimProviders() {
        ServiceRegistered event = send(registered("team-n/nv-embed", FunctionType.EMBEDDING, "nim"));

        awaitRun(event.eventId());
        assertThat(primary.models().get("mg_team_n__nv_embed").provider()).isEqualTo("nim_embeddings");
    }

    @Test
    void platformModelsLeaveTheCredentialsUsersStoredForAProviderAlone() throws SQLException {
        replica.createModel("user_embedder", "nim_embeddings", "{\"model\": \"e5\", \"url\": \"http://nim\"}",
                "{\"api_key\": \"user-key\"}");
        // The compatibility schema refuses a second key for the provider, as AIDB does.
        assertThatThrownBy(() -> replica.createModel("user_other", "nim_embeddings", "{}",
                "{\"api_key\": \"other-key\"}"))
                .hasStackTraceContaining("Credentials for model provider \"nim_embeddings\" already exist");

        ServiceRegistered event = send(registered("team-k/nim-embed", FunctionType.EMBEDDING, "nim"));
        JsonPath run = awaitRun(event.eventId());

        assertThat(result(run, "replica", "mg_team_k__nim_embed")).containsEntry("outcome", "CREATED");
        assertThat(replica.models().get("mg_team_k__nim_embed").provider()).isEqualTo("nim_embeddings");
        try (Connection c = replica.connect();
                ResultSet rs = c.createStatement()
                        .executeQuery("select array_to_string(umoptions, ',')"
                                + " from pg_user_mappings where srvname = 'nim_embeddings' and usename = 'public'")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).contains("user-key");
        }
    }

    @Test
    void aServiceAidbHasNoProviderForIsSkippedAndItsEarlierModelRemoved() {
        ServiceRegistered first = send(registered("team-g/odd", FunctionType.CHAT, "vllm"));
        awaitRun(first.eventId());
        assertThat(primary.models()).containsKey("mg_team_g__odd");

        ServiceRegistered changed = new ServiceRegistered(UUID.randomUUID(), Instant.now(),
                ServiceRegistered.SCHEMA_VERSION, "team-g/odd", ServiceKind.KSERVE, "odd", null, null, null,
                List.of(FunctionType.UNKNOWN), "odd", "vllm", null, "http://odd", null, "/v1");
        send(changed);
        JsonPath run = awaitRun(changed.eventId());

        assertThat(result(run, "primary", "mg_team_g__odd")).containsEntry("outcome", "DELETED");
        assertThat((String) result(run, "primary", "mg_team_g__odd").get("reason")).contains("no provider");
        assertThat(primary.models()).doesNotContainKey("mg_team_g__odd");

        ServiceRegistered fresh = new ServiceRegistered(UUID.randomUUID(), Instant.now(),
                ServiceRegistered.SCHEMA_VERSION, "team-g/new-odd", ServiceKind.EXTERNAL, "odd", null, null, null,
                List.of(FunctionType.UNKNOWN), "odd", "modelgate-proxy", "openai", "http://proxy", null, "/v1");
        send(fresh);
        JsonPath skipped = awaitRun(fresh.eventId());
        assertThat(result(skipped, "replica", "mg_team_g__new_odd")).containsEntry("outcome", "SKIPPED");
        assertThat(skipped.getList("results")).hasSize(3);
    }

    @Test
    void aUsersOwnModelOfTheSameNameIsSkippedAndNeverOverwritten() {
        String name = "mg_team_b__mine";
        String theirs = "{\"model\": \"their-model\", \"url\": \"http://their.example/v1\"}";
        primary.createModel(name, "openai_embeddings", theirs, "{\"api_key\": \"their-key\"}");

        ServiceRegistered event = send(registered("team-b/mine", FunctionType.EMBEDDING, "vllm"));
        JsonPath run = awaitRun(event.eventId());

        assertThat(result(run, "primary", name)).containsEntry("outcome", "SKIPPED");
        assertThat((String) result(run, "primary", name).get("reason")).contains("Conflict", "does not own");
        assertThat(primary.models().get(name).options().path("model").asText()).isEqualTo("their-model");
        assertThat(replica.models().get(name).options().path("model").asText()).isEqualTo("mine");

        // A reconcile leaves it alone too, and so does the deregistration.
        assertThat(reconcile().getList("results.findAll { it.target == 'primary' && it.aidbName == '" + name
                + "' }.outcome")).containsExactly("SKIPPED");
        var gone = deregistered("team-b/mine");
        KafkaTestClient.shared().sendEvent(gone);
        JsonPath removal = awaitRun(gone.eventId());
        assertThat(result(removal, "primary", name)).containsEntry("outcome", "SKIPPED");
        assertThat(result(removal, "replica", name)).containsEntry("outcome", "DELETED");
        assertThat(primary.models().get(name).options().path("model").asText()).isEqualTo("their-model");
        assertThat(replica.models()).doesNotContainKey(name);
    }

    @Test
    void deregistrationDeletesAndListsTheKnowledgeBasesThatUsedTheModel() {
        ServiceRegistered event = send(registered("team-c/embed", FunctionType.EMBEDDING, "vllm"));
        awaitRun(event.eventId());
        String name = "mg_team_c__embed";
        assertThat(primary.models()).containsKey(name);
        primary.execute("insert into aidb.knowledge_bases values ('product-docs', '" + name + "')");

        var gone = deregistered("team-c/embed");
        KafkaTestClient.shared().sendEvent(gone);
        JsonPath run = awaitRun(gone.eventId());

        assertThat(primary.models()).doesNotContainKey(name);
        assertThat(replica.models()).doesNotContainKey(name);
        assertThat(result(run, "primary", name)).containsEntry("outcome", "DELETED")
                .containsEntry("referencedBy", "knowledge_bases:product-docs");
        assertThat(result(run, "replica", name)).containsEntry("outcome", "DELETED")
                .containsEntry("referencedBy",
                        null);
        List<Map<String, Object>> served = given().auth()
                .oauth2(VIEWER)
                .get("/api/v1/sync/served")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("$");
        assertThat(served).extracting(s -> s.get("serviceId")).doesNotContain("team-c/embed");
    }

    @Test
    void reconcileRepairsDriftCreatesWhatIsMissingDeletesOrphansAndLeavesUsersModelsAlone() {
        ServiceRegistered event = send(registered("team-d/chat", FunctionType.COMPLETION, "vllm"));
        awaitRun(event.eventId());
        String name = "mg_team_d__chat";
        // Someone edits the owned model's config, someone deletes it elsewhere, and an owned model of a service
        // that is no longer served is left over; a user's model sits beside them.
        primary.execute("update aidb.model_registry set options = jsonb_set(options, '{url}', '\"http://elsewhere\"')"
                + " where name = '" + name + "'");
        replica.execute("select aidb.delete_model('" + name + "')");
        primary.createModel("mg_gone__old", "openai_completions",
                "{\"model\": \"old\", \"url\": \"http://old/v1\", \"modelgate\": {\"owned\": true,"
                        + " \"serviceId\": \"gone/old\"}}",
                "{}");
        primary.createModel("users_model", "openai_completions", "{\"model\": \"x\", \"url\": \"http://x\"}", "{}");

        JsonPath run = reconcile();

        assertThat(result(run, "primary", name)).containsEntry("outcome", "UPDATED");
        assertThat(result(run, "replica", name)).containsEntry("outcome", "CREATED");
        assertThat(result(run, "primary", "mg_gone__old")).containsEntry("outcome", "DELETED")
                .containsEntry("serviceId", "gone/old");
        assertThat(result(run, "remote", null)).containsEntry("outcome", "SKIPPED");
        assertThat(primary.models().get(name).options().path("url").asText())
                .isEqualTo("http://team-d.chat.svc.cluster.local/v1");
        assertThat(replica.models()).containsKey(name);
        assertThat(primary.models()).doesNotContainKey("mg_gone__old").containsKey("users_model");
        // The one served model was repaired in both reachable targets and skipped in the unreachable one.
        assertThat(List.of(run.getInt("created"), run.getInt("updated"), run.getInt("deleted"),
                run.getInt("unchanged"), run.getInt("skipped"), run.getInt("failed")))
                .containsExactly(1, 1, 1, 0, 1, 0);

        // Nothing left to do: a second reconcile changes nothing in the reachable targets.
        JsonPath again = reconcile();
        assertThat(List.of(again.getInt("created"), again.getInt("updated"), again.getInt("deleted"),
                again.getInt("unchanged"), again.getInt("skipped"), again.getInt("failed")))
                .containsExactly(0, 0, 0, 2, 1, 0);

        // A key an AIDB build adds to the options is not drift: the model is left as it is, not recreated.
        primary.execute("update aidb.model_registry set options = options || '{\"max_tokens\": 512}'"
                + " where name = '" + name + "'");
        JsonPath extraKey = reconcile();
        assertThat(extraKey.getInt("unchanged")).isEqualTo(2);
        assertThat(extraKey.getInt("updated")).isZero();
        assertThat(primary.models().get(name).options().path("max_tokens").asInt()).isEqualTo(512);
    }

    @Test
    void aTargetThatIsDownFailsForThisPassWhileTheOthersProceed() {
        String down = createTarget("down", "jdbc:postgresql://127.0.0.1:1/aidb", "s3cret-down", "PRIMARY", true);
        try {
            ServiceRegistered event = send(registered("team-e/rerank", FunctionType.RERANK, "vllm"));
            JsonPath run = awaitRun(event.eventId());
            String name = "mg_team_e__rerank";

            assertThat(result(run, "down", name)).containsEntry("outcome", "FAILED");
            assertThat((String) result(run, "down", name).get("reason")).contains("Target failed");
            assertThat(result(run, "primary", name)).containsEntry("outcome", "CREATED");
            assertThat(primary.models().get(name).provider()).isEqualTo("nim_reranking");
            assertThat(replica.models()).containsKey(name);

            JsonPath cycle = reconcile();
            assertThat(result(cycle, "down", null)).containsEntry("outcome", "FAILED");
            assertThat(cycle.getInt("failed")).isEqualTo(1);
            assertThat(cycle.getInt("unchanged")).isEqualTo(2);
            String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
            assertThat(metrics).contains("modelgate_sync_results_total{outcome=\"failed\"",
                    "modelgate_sync_reconcile_last_duration_seconds");
        } finally {
            deleteTarget(down);
        }
    }

    @Test
    void targetsThatAcceptConnectionsButNeverAnswerFailTheEventWithoutDeadLetteringIt()
            throws IOException, SQLException {
        // Two stand-ins for hung database hosts: the OS accepts the connection, nobody ever reads or answers.
        try (ServerSocket hungA = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
                ServerSocket hungB = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            String a = createTarget("hung-a", "jdbc:postgresql://127.0.0.1:" + hungA.getLocalPort() + "/aidb",
                    "s3cret-hung", "PRIMARY", true);
            String b = createTarget("hung-b", "jdbc:postgresql://127.0.0.1:" + hungB.getLocalPort() + "/aidb",
                    "s3cret-hung", "PRIMARY", true);
            try {
                ServiceRegistered event = send(registered("team-h/hang", FunctionType.CHAT, "vllm"));
                JsonPath run = awaitRun(event.eventId());
                String name = "mg_team_h__hang";

                assertThat(result(run, "primary", name)).containsEntry("outcome", "CREATED");
                assertThat(result(run, "replica", name)).containsEntry("outcome", "CREATED");
                assertThat(primary.models()).containsKey(name);
                assertThat(replica.models()).containsKey(name);
                for (String hung : List.of("hung-a", "hung-b")) {
                    assertThat(result(run, hung, name)).containsEntry("outcome", "FAILED");
                    assertThat((String) result(run, hung, name).get("reason")).startsWith("Target failed");
                }
                // Applied, not dead-lettered: a dead-lettered event's inbox row rolls back with its transaction.
                assertThat(processed(event.eventId())).isTrue();
                assertThat(run.getInt("failed")).isEqualTo(2);
            } finally {
                deleteTarget(a);
                deleteTarget(b);
            }
        }
    }

    @Test
    void aTargetThatWasDownSucceedsOnTheNextCycleOnceItIsBack() {
        AidbDatabase late = AidbDatabase.create("aidb_late");
        String wrongDatabase = PostgresServer.shared().jdbcUrl("no_such_database_" + System.nanoTime());
        String id = createTarget("late", wrongDatabase, "s3cret-late", "PRIMARY", true);
        try {
            ServiceRegistered event = send(registered("team-l/embed", FunctionType.EMBEDDING, "vllm"));
            awaitRun(event.eventId());
            String name = "mg_team_l__embed";

            JsonPath down = reconcile();
            assertThat(result(down, "late", null)).containsEntry("outcome", "FAILED");
            assertThat((String) result(down, "late", null).get("reason")).contains("Target failed");

            // Fixed through the API: another database, so the password is given again.
            assertThat(updateTarget(id, "late", late.jdbcUrl, "s3cret-late", "PRIMARY", true, true)).isEqualTo(200);
            JsonPath back = reconcile();
            assertThat(result(back, "late", name)).containsEntry("outcome", "CREATED");
            assertThat(back.getInt("failed")).isZero();
            assertThat(late.models().get(name).provider()).isEqualTo("openai_embeddings");
        } finally {
            deleteTarget(id);
        }
    }

    @Test
    void aStaleRegistrationDoesNotReviveADeregisteredService() {
        ServiceRegistered first = send(registered("team-f/chat", FunctionType.CHAT, "vllm"));
        awaitRun(first.eventId());
        var gone = deregistered("team-f/chat");
        KafkaTestClient.shared().sendEvent(gone);
        awaitRun(gone.eventId());

        ServiceRegistered late = new ServiceRegistered(UUID.randomUUID(), Instant.now().minusSeconds(3600),
                ServiceRegistered.SCHEMA_VERSION, "team-f/chat", ServiceKind.KSERVE, "m", null, null, null,
                List.of(FunctionType.CHAT), "chat", "vllm", null, "http://late", null, "/v1");
        KafkaTestClient.shared().sendEvent(late);
        await().atMost(Duration.ofSeconds(30)).until(() -> processed(late.eventId()));

        assertThat(primary.models()).doesNotContainKey("mg_team_f__chat");
        List<Map<String, Object>> served = given().auth()
                .oauth2(VIEWER)
                .get("/api/v1/sync/served")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("$");
        assertThat(served).extracting(s -> s.get("serviceId")).doesNotContain("team-f/chat");
    }

    private boolean processed(UUID eventId) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement("select 1 from inbox_event where event_id = ?")) {
            s.setObject(1, eventId);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next();
            }
        }
    }

    @Test
    void historyNeedsAToken() {
        given().get("/api/v1/sync/runs").then().statusCode(401);
        given().auth()
                .oauth2(VIEWER)
                .queryParam("trigger", "NOPE")
                .get("/api/v1/sync/runs")
                .then()
                .statusCode(400)
                .contentType("application/problem+json");
        given().auth().oauth2(VIEWER).post("/api/v1/sync/reconcile").then().statusCode(403);
        given().auth()
                .oauth2(VIEWER)
                .contentType(ContentType.JSON)
                .get("/api/v1/sync/runs/"
                        + UUID.randomUUID())
                .then()
                .statusCode(404)
                .contentType("application/problem+json");
    }
}
