package io.modelgate.modelsync.client;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.modelgate.modelsync.AidbDatabase;
import io.modelgate.modelsync.domain.CredentialSupport;
import io.modelgate.testing.PostgresServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The catalog reads of a session against real databases with different AIDB signatures. */
class AidbSessionTest {

    private static final Budget BUDGET = Budget.unbounded(Duration.ofSeconds(5), Duration.ofSeconds(30));

    @Test
    void theCredentialSupportFollowsTheArgumentsOfCreateModel() throws SQLException {
        AidbDatabase compat = AidbDatabase.create("session_compat");
        try (AidbSession session = new AidbSession(compat.connect(), BUDGET)) {
            assertThat(session.credentialSupport()).isEqualTo(CredentialSupport.PROVIDER_USER_MAPPING);
        }

        String named = database("session_named", "create schema aidb; create function aidb.create_model(name text,"
                + " provider text, config jsonb default '{}', credential text default null, validate boolean default"
                + " false) returns text language sql as 'select name'");
        try (AidbSession session = new AidbSession(connect(named), BUDGET)) {
            assertThat(session.credentialSupport()).isEqualTo(CredentialSupport.NAMED_CREDENTIAL);
        }

        String bare = database("session_bare", "create schema aidb; create function aidb.create_model(name text,"
                + " provider text, config jsonb default '{}') returns text language sql as 'select name'");
        try (AidbSession session = new AidbSession(connect(bare), BUDGET)) {
            assertThat(session.credentialSupport()).isEqualTo(CredentialSupport.NONE);
        }

        String plain = database("session_plain", "select 1");
        try (AidbSession session = new AidbSession(connect(plain), BUDGET)) {
            assertThatThrownBy(session::credentialSupport).hasMessageContaining("is the AIDB extension installed");
        }
    }

    @Test
    void referencesAreReadFromEveryAidbRelationWithAModelName() throws SQLException {
        AidbDatabase compat = AidbDatabase.create("session_refs");
        compat.execute("create table aidb.pipelines (name text, model_name text, step text);"
                + " insert into aidb.pipelines values ('summaries', 'm1', 'SummarizeText'), ('other', 'm9', 'x');"
                + " insert into aidb.knowledge_bases values ('docs', 'm1'), ('faq', 'm2')");
        try (AidbSession session = new AidbSession(compat.connect(), BUDGET)) {
            Map<String, List<String>> references = session.references(List.of("m1", "m2", "m3"));
            assertThat(references).containsOnlyKeys("m1", "m2");
            assertThat(references.get("m1")).containsExactly("knowledge_bases:docs", "pipelines:summaries");
            assertThat(references.get("m2")).containsExactly("knowledge_bases:faq");
        }
    }

    @Test
    void aSpentDeadlineStopsTheNextStatement() throws SQLException {
        AidbDatabase compat = AidbDatabase.create("session_deadline");
        Budget spent = Budget.until(Duration.ofSeconds(5), Duration.ofSeconds(5), System.nanoTime());
        try (AidbSession session = new AidbSession(compat.connect(), spent)) {
            assertThatThrownBy(session::models).hasMessageContaining("deferred to reconcile");
        }
    }

    @Test
    void optionsAreReadAsTheConfigOrTheConfigNestedInThem() throws SQLException {
        assertThat(AidbSession.config("{\"model\": \"a\"}").path("model").asText()).isEqualTo("a");
        assertThat(AidbSession.config("{\"config\": {\"model\": \"b\"}, \"other\": 1}").path("model").asText())
                .isEqualTo("b");
    }

    private static String database(String prefix, String sql) throws SQLException {
        String url = PostgresServer.shared().createDatabase(prefix);
        try (Connection c = connect(url); Statement s = c.createStatement()) {
            s.execute(sql);
        }
        return url;
    }

    private static Connection connect(String url) throws SQLException {
        return DriverManager.getConnection(url, PostgresServer.USER, "");
    }
}
