package io.modelgate.testing;

import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Keeps the embedded Kafka broker and the mock API server from burying test output under thousands of INFO lines.
 * Quarkus' initial log configurator owns the JBoss LogManager here (no logging.properties), so levels are set in
 * code, once per test session.
 */
public class QuietInfrastructureLogs implements LauncherSessionListener {

    // Held strongly: a logger that is collected forgets its level.
    private static final List<Logger> QUIETED = List.of(
            quiet("org.apache.kafka", Level.WARNING),
            quiet("kafka", Level.WARNING),
            quiet("state.change.logger", Level.WARNING),
            // Warns about every topic in the moment before auto-creation makes it exist.
            quiet("org.apache.kafka.clients.NetworkClient", Level.SEVERE),
            quiet("io.fabric8.mockwebserver", Level.WARNING),
            // Relays every line initdb and the postmaster print.
            quiet("io.zonky.test.db.postgres", Level.WARNING));

    @Override
    public void launcherSessionOpened(LauncherSession session) {
        // Loading the class is the work; the levels are set in the static initializer.
        if (QUIETED.isEmpty()) {
            throw new IllegalStateException("No loggers quieted");
        }
    }

    private static Logger quiet(String name, Level level) {
        Logger logger = Logger.getLogger(name);
        logger.setLevel(level);
        return logger;
    }
}
