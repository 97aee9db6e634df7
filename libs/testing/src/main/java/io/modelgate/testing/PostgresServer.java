package io.modelgate.testing;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/** A real PostgreSQL server (embedded binaries), one database per service or test class. */
public final class PostgresServer implements AutoCloseable {

    public static final String USER = "postgres";

    /**
     * The shared server's port, as a JVM-wide system property: Quarkus loads test classes in its own class loader, so a
     * static field alone could start a second server; the property lets every loader attach to the first.
     */
    public static final String SHARED_PROPERTY = "modelgate.test.postgres.port";

    private static PostgresServer shared;

    /** Null when this instance is attached to a server another class loader started. */
    private final EmbeddedPostgres postgres;
    private final int port;

    private PostgresServer(EmbeddedPostgres postgres, int port) {
        this.postgres = postgres;
        this.port = port;
    }

    /** The server shared by every test in this JVM, stopped at JVM exit. */
    public static PostgresServer shared() {
        // System is loaded once for all class loaders, so this lock is really JVM-wide.
        synchronized (System.class) {
            if (shared == null) {
                String running = System.getProperty(SHARED_PROPERTY);
                if (running != null) {
                    shared = new PostgresServer(null, Integer.parseInt(running));
                } else {
                    shared = start(null, 0);
                    PostgresServer started = shared;
                    Runtime.getRuntime().addShutdownHook(new Thread(started::close, "embedded-postgres-stop"));
                    System.setProperty(SHARED_PROPERTY, Integer.toString(started.port));
                }
            }
            return shared;
        }
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
            EmbeddedPostgres postgres = builder.start();
            return new PostgresServer(postgres, postgres.getPort());
        } catch (IOException e) {
            throw new IllegalStateException("Embedded PostgreSQL failed to start", e);
        }
    }

    /** Creates a fresh, uniquely named database and returns its JDBC URL. */
    public String createDatabase(String prefix) {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        return createDatabaseIfMissing((prefix + "_" + suffix).replaceAll("[^a-zA-Z0-9_]", "_").toLowerCase());
    }

    /** Creates the named database unless it exists, and returns its JDBC URL. */
    public String createDatabaseIfMissing(String name) {
        if (name.contains("\"") || name.contains("'")) {
            throw new IllegalArgumentException("Database names with quotes are not supported: " + name);
        }
        try (Connection c = DriverManager.getConnection(jdbcUrl("postgres"), USER, "");
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("select 1 from pg_database where datname = '" + name + "'")) {
            if (!rs.next()) {
                s.execute("create database \"" + name + "\"");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not create database " + name, e);
        }
        return jdbcUrl(name);
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://localhost:" + port + "/" + database;
    }

    public int port() {
        return port;
    }

    @Override
    public void close() {
        if (postgres == null) {
            return;
        }
        try {
            postgres.close();
        } catch (IOException e) {
            // Best effort at shutdown.
        }
    }
}
