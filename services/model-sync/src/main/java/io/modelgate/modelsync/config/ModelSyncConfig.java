package io.modelgate.modelsync.config;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Settings of model-sync ({@code modelgate.model-sync.*}) and their defaults; each is documented in the README. */
@ConfigMapping(prefix = "modelgate.model-sync")
public interface ModelSyncConfig {

    /** Base64 of a 32-byte AES key that encrypts target passwords at rest; the deployment supplies it. */
    Optional<String> credentialsKey();

    /** How long sync runs and their results are kept; older ones are dropped by the reconcile cycle. */
    @WithDefault("30d")
    Duration historyRetention();

    /** Reconcile cycle settings. */
    Reconcile reconcile();

    /** How the reconcile cycle connects to target databases. */
    Target target();

    /** How the event path connects to target databases. */
    Event event();

    /** Reconcile cycle. */
    interface Reconcile {
        /** How often every target is reconciled ({@code 5m}, {@code 1h}); {@code off} disables the cycle. */
        @WithDefault("5m")
        String every();

        /** Delay before the first scheduled cycle after start. */
        @WithDefault("30s")
        String initialDelay();

        /** Transaction timeout of reconciling one target, so that a hung target cannot hold its lock forever. */
        @WithDefault("600")
        int timeoutSeconds();
    }

    /** Connections of the reconcile cycle to target databases. */
    interface Target {
        /** Connect and login timeout per target. */
        @WithDefault("5s")
        Duration connectTimeout();

        /** Socket (read) timeout per statement. */
        @WithDefault("30s")
        Duration socketTimeout();
    }

    /** Target work of one event, which runs inside the consumer's transaction (platform timeout 60 s). */
    interface Event {
        /** Connect and login timeout per target. */
        @WithDefault("2s")
        Duration connectTimeout();

        /** Socket (read) timeout per statement. */
        @WithDefault("5s")
        Duration socketTimeout();

        /** Total time for every target of one event; targets not done by then are FAILED "deferred to reconcile". */
        @WithDefault("10s")
        Duration deadline();
    }
}
