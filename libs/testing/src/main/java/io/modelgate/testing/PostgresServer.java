package io.modelgate.testing;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/** A real PostgreSQL server (embedded binaries), one database per service or test class. */
public final class PostgresServer implements AutoCloseable {

    public static final String USER = "postgres";

    private static PostgresServer shared;
    private static final AtomicInteger DATABASES = new AtomicInteger();

    private final EmbeddedPostgres postgres;

    private PostgresServer(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    /** The server shared by every test in this JVM, stopped at JVM exit. */
    public static synchronized PostgresServer shared() {
        if (shared == null) {
            shared = start(null, 0);
            PostgresServer started = shared;
            Runtime.getRuntime().addShutdownHook(new Thread(started::close, "embedded-postgres-stop"));
        }
        return shared;
    }

    /**
     * Starts a server; with a data directory the data survives restarts (the local stack), with {@code port} 0 a free
     * port is chosen.
     */
    public static PostgresServer start(Path dataDirectory, int port) {
        try {
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder();
            if (dataDirectory != null) {
                builder.setDataDirectory(dataDirectory).setCleanDataDirectory(false);
            }
            if (port > 0) {
                builder.setPort(port);
            }
            builder.setServerConfig("max_connections", "300");
            return new PostgresServer(builder.start());
        } catch (IOException e) {
            throw new IllegalStateException("Embedded PostgreSQL failed to start", e);
        }
    }

    /** Creates a fresh, uniquely named database and returns its JDBC URL. */
    public String createDatabase(String prefix) {
        String name = (prefix + "_" + DATABASES.incrementAndGet()).replaceAll("[^a-zA-Z0-9_]", "_").toLowerCase();
        return createDatabaseIfMissing(name);
    }

    /** Creates the named database unless it exists, and returns its JDBC URL. */
    public String createDatabaseIfMissing(String name) {
        try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            var rs = s.executeQuery("select 1 from pg_database where datname = '" + name.replace("'", "''") + "'");
            if (!rs.next()) {
                s.execute("create database \"" + name.replace("\"", "") + "\"");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not create database " + name, e);
        }
        return jdbcUrl(name);
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://localhost:" + postgres.getPort() + "/" + database;
    }

    public int port() {
        return postgres.getPort();
    }

    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            // Best effort at shutdown.
        }
    }
}
