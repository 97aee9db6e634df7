package io.modelgate.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PostgresServerTest {

    private final PostgresServer server = PostgresServer.shared();

    @Test
    void createDatabaseGivesDistinctIsolatedDatabases() throws SQLException {
        String first = server.createDatabase("pg-test");
        String second = server.createDatabase("pg-test");

        assertThat(first).isNotEqualTo(second)
                .startsWith("jdbc:postgresql://localhost:" + server.port() + "/");
        assertThat(second).startsWith("jdbc:postgresql://localhost:" + server.port() + "/");

        try (Connection a = connect(first); Connection b = connect(second)) {
            String nameA = single(a, "select current_database()");
            String nameB = single(b, "select current_database()");
            assertThat(nameA).isNotEqualTo(nameB).startsWith("pg_test_");
            assertThat(nameB).startsWith("pg_test_");

            try (Statement s = a.createStatement()) {
                s.execute("create table only_in_first (id int primary key)");
                s.execute("insert into only_in_first values (1)");
            }
            assertThat(single(a, "select count(*) from only_in_first")).isEqualTo("1");
            assertThat(single(a, "select to_regclass('public.only_in_first')")).isEqualTo("only_in_first");
            assertThat(single(b, "select to_regclass('public.only_in_first')")).isNull();
        }
    }

    @Test
    void createDatabaseIfMissingIsIdempotent() throws SQLException {
        String name = "pg_idem_" + UUID.randomUUID().toString().replace("-", "");

        String url = server.createDatabaseIfMissing(name);
        try (Connection c = connect(url); Statement s = c.createStatement()) {
            s.execute("create table kept (v text)");
            s.execute("insert into kept values ('survives')");
        }

        String again = server.createDatabaseIfMissing(name);

        assertThat(again).isEqualTo(url).isEqualTo(server.jdbcUrl(name));
        try (Connection c = connect(again)) {
            assertThat(single(c, "select v from kept")).isEqualTo("survives");
            assertThat(single(c, "select count(*) from pg_database where datname = '" + name + "'")).isEqualTo("1");
        }
    }

    private static Connection connect(String url) throws SQLException {
        return DriverManager.getConnection(url, PostgresServer.USER, "");
    }

    private static String single(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            assertThat(rs.next()).as("a row from %s", sql).isTrue();
            return rs.getString(1);
        }
    }
}
