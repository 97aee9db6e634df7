package io.modelgate.modelsync.client;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.modelgate.modelsync.domain.CredentialSupport;
import io.modelgate.modelsync.domain.DesiredModel;

/**
 * One connection to one target, speaking the documented AIDB SQL API ({@code aidb.create_model},
 * {@code aidb.delete_model}, {@code aidb.models}) and reading the catalog for what the target supports.
 */
public final class AidbSession implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Connection connection;
    private final Budget budget;

    AidbSession(Connection connection, Budget budget) {
        this.connection = connection;
        this.budget = budget;
    }

    /**
     * Bounds the next statement by the socket timeout, cut to what is left of the budget's deadline: a target that
     * stops answering mid-pass costs at most that.
     */
    private void bound() throws SQLException {
        connection.setNetworkTimeout(null, budget.statementMillis());
    }

    /**
     * The credential arguments {@code aidb.create_model} accepts, from its argument names in the catalog; fails when
     * the function does not exist, i.e. the database has no AIDB.
     */
    public CredentialSupport credentialSupport() throws SQLException {
        Set<String> arguments = new HashSet<>();
        boolean found = false;
        bound();
        try (Statement s = connection.createStatement();
                ResultSet rs = s.executeQuery("select p.proargnames from pg_proc p join pg_namespace n"
                        + " on n.oid = p.pronamespace where n.nspname = 'aidb' and p.proname = 'create_model'")) {
            while (rs.next()) {
                found = true;
                Array names = rs.getArray(1);
                if (names != null) {
                    for (Object name : (Object[]) names.getArray()) {
                        arguments.add(String.valueOf(name));
                    }
                }
            }
        }
        if (!found) {
            throw new SQLException(
                    "aidb.create_model does not exist: is the AIDB extension installed in this database?");
        }
        if (arguments.contains("credential")) {
            return CredentialSupport.NAMED_CREDENTIAL;
        }
        return arguments.contains("credentials") ? CredentialSupport.PROVIDER_USER_MAPPING : CredentialSupport.NONE;
    }

    /** Every model of the target, in one query. */
    public Map<String, AidbModel> models() throws SQLException {
        bound();
        try (Statement s = connection.createStatement();
                ResultSet rs = s.executeQuery("select name, provider, options::text from aidb.models")) {
            return read(rs);
        }
    }

    /** The model of that name, if the target has it. */
    public Map<String, AidbModel> models(String name) throws SQLException {
        bound();
        try (PreparedStatement s = connection
                .prepareStatement("select name, provider, options::text from aidb.models where name = ?")) {
            s.setString(1, name);
            try (ResultSet rs = s.executeQuery()) {
                return read(rs);
            }
        }
    }

    private static Map<String, AidbModel> read(ResultSet rs) throws SQLException {
        Map<String, AidbModel> models = new HashMap<>();
        while (rs.next()) {
            String name = rs.getString(1);
            models.put(name, new AidbModel(name, rs.getString(2), config(rs.getString(3))));
        }
        return models;
    }

    /**
     * The model's config from the {@code options} column: AIDB builds show either the config itself or an object
     * holding it under {@code config}; both are read.
     */
    static JsonNode config(String options) throws SQLException {
        if (options == null) {
            return JSON.createObjectNode();
        }
        try {
            JsonNode node = JSON.readTree(options);
            JsonNode nested = node.get("config");
            return nested != null && nested.isObject() ? nested : node;
        } catch (JsonProcessingException e) {
            throw new SQLException("aidb.models.options is not JSON");
        }
    }

    /** Registers a model without credentials: platform-served models need no provider key in the database. */
    public void create(DesiredModel model) throws SQLException {
        connection.setAutoCommit(true);
        createModel(model);
    }

    /** AIDB has no update: delete and create again in one transaction, so the name never disappears for readers. */
    public void replace(DesiredModel model) throws SQLException {
        connection.setAutoCommit(false);
        try {
            deleteModel(model.name());
            createModel(model);
            connection.commit();
        } catch (SQLException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(true);
        }
    }

    public void delete(String name) throws SQLException {
        connection.setAutoCommit(true);
        deleteModel(name);
    }

    private void createModel(DesiredModel model) throws SQLException {
        // Positional arguments: name, provider and config keep their position in every AIDB build.
        bound();
        try (PreparedStatement s = connection.prepareStatement("select aidb.create_model(?, ?, ?::jsonb)")) {
            s.setString(1, model.name());
            s.setString(2, model.provider());
            s.setString(3, model.config().toString());
            s.execute();
        }
    }

    private void deleteModel(String name) throws SQLException {
        bound();
        try (PreparedStatement s = connection.prepareStatement("select * from aidb.delete_model(?)")) {
            s.setString(1, name);
            s.execute();
        }
    }

    /**
     * Knowledge bases, pipelines and any other relation of schema {@code aidb} with {@code name} and
     * {@code model_name} columns that reference one of {@code models}: {@code model -> ["knowledge_bases:docs"]}. A
     * target whose catalog shows none yields an empty map.
     */
    public Map<String, List<String>> references(Collection<String> models) throws SQLException {
        Map<String, List<String>> found = new LinkedHashMap<>();
        if (models.isEmpty()) {
            return found;
        }
        List<String> relations = new ArrayList<>();
        bound();
        try (Statement s = connection.createStatement();
                ResultSet rs = s.executeQuery("select c.relname from pg_class c join pg_namespace n"
                        + " on n.oid = c.relnamespace where n.nspname = 'aidb' and c.relkind in ('r', 'v', 'm', 'f', 'p')"
                        + " and c.relname <> 'models'"
                        + " and exists (select 1 from pg_attribute a where a.attrelid = c.oid and a.attname = 'name'"
                        + " and not a.attisdropped)"
                        + " and exists (select 1 from pg_attribute a where a.attrelid = c.oid"
                        + " and a.attname = 'model_name' and not a.attisdropped) order by c.relname")) {
            while (rs.next()) {
                relations.add(rs.getString(1));
            }
        }
        Array names = connection.createArrayOf("text", models.toArray());
        for (String relation : relations) {
            String sql = "select name::text, model_name::text from aidb." + quote(relation)
                    + " where model_name::text = any(?) order by name";
            bound();
            try (PreparedStatement s = connection.prepareStatement(sql)) {
                s.setArray(1, names);
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        found.computeIfAbsent(rs.getString(2), k -> new ArrayList<>())
                                .add(relation + ":" + rs.getString(1));
                    }
                }
            }
        }
        return found;
    }

    private static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }

    @Override
    public void close() {
        try {
            connection.close();
        } catch (SQLException e) {
            // Closing a broken connection has nothing left to release.
        }
    }
}
