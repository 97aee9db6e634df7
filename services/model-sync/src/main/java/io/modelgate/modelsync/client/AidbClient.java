package io.modelgate.modelsync.client;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Properties;

import jakarta.enterprise.context.ApplicationScoped;

import org.postgresql.Driver;

/** Opens sessions on AIDB target databases over JDBC, with timeouts so that a target that is down or hangs fails fast. */
@ApplicationScoped
public class AidbClient {

    private final Driver driver = new Driver();

    /** Connects with the given credentials within {@code budget}; the caller closes the session. */
    public AidbSession open(String jdbcUrl, String username, String password, Budget budget) throws SQLException {
        int login = budget.loginMillis();
        Properties props = new Properties();
        props.setProperty("user", username);
        if (password != null) {
            props.setProperty("password", password);
        }
        // pgjdbc takes whole seconds for these (0 is "none"); loginTimeout (fractional seconds) bounds the whole
        // handshake, so a host that accepts the connection but never answers fails within it too.
        props.setProperty("connectTimeout", String.valueOf(ceilSeconds(login)));
        props.setProperty("loginTimeout", String.valueOf(login / 1000.0));
        props.setProperty("socketTimeout", String.valueOf(ceilSeconds(budget.socketTimeout().toMillis())));
        props.setProperty("ApplicationName", "modelgate-model-sync");
        Connection connection = driver.connect(jdbcUrl, props);
        if (connection == null) {
            throw new SQLException("Not a PostgreSQL JDBC URL");
        }
        return new AidbSession(connection, budget);
    }

    private static long ceilSeconds(long millis) {
        return Math.max(1, (millis + 999) / 1000);
    }
}
