package io.modelgate.modelsync;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.modelgate.testing.PostgresServer;

/** A target database on the embedded PostgreSQL server holding the AIDB compatibility schema. */
public final class AidbDatabase {

    private static final ObjectMapper JSON = new ObjectMapper();

    public final String jdbcUrl;

    private AidbDatabase(String jdbcUrl) {
        this.jdbcUrl = jdbcUrl;
    }

    /** A fresh database with the compatibility schema applied. */
    public static AidbDatabase create(String prefix) {
        AidbDatabase database = new AidbDatabase(PostgresServer.shared().createDatabase(prefix));
        try (InputStream in = AidbDatabase.class.getResourceAsStream("/aidb-compat.sql")) {
            database.execute(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return database;
    }

    public Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl, PostgresServer.USER, "");
    }

    public void execute(String sql) {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Runs {@code aidb.create_model} the way a user would by hand. */
    public void createModel(String name, String provider, String config, String credentials) {
        try (Connection c = connect();
                PreparedStatement s = c.prepareStatement("select aidb.create_model(?, ?, ?::jsonb, ?::jsonb)")) {
            s.setString(1, name);
            s.setString(2, provider);
            s.setString(3, config);
            s.setString(4, credentials);
            s.execute();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code aidb.models} by name: provider and options. */
    public Map<String, Model> models() {
        Map<String, Model> models = new HashMap<>();
        try (Connection c = connect();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("select name, provider, options::text from aidb.models")) {
            while (rs.next()) {
                models.put(rs.getString(1), new Model(rs.getString(2), JSON.readTree(rs.getString(3))));
            }
        } catch (SQLException | IOException e) {
            throw new IllegalStateException(e);
        }
        return models;
    }

    /** One row of {@code aidb.models}. */
    public record Model(String provider, JsonNode options) {
    }
}
