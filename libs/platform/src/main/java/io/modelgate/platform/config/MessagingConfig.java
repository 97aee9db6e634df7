package io.modelgate.platform.config;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Settings of the outbox relay and of inbox consumers, shared by every service ({@code modelgate.messaging.*}). */
@ConfigMapping(prefix = "modelgate.messaging")
public interface MessagingConfig {

    Outbox outbox();

    Consumer consumer();

    /** The outbox relay. */
    interface Outbox {
        /** Whether this instance publishes outbox rows; turn off only on instances that must never publish. */
        @WithDefault("true")
        boolean relayEnabled();

        /** How often the relay sweeps for rows that no after-commit signal published (for example after a crash). */
        @WithDefault("2s")
        Duration sweepInterval();

        /** Rows published per relay transaction. */
        @WithDefault("500")
        int batchSize();

        /** How long published rows are kept for inspection before they are deleted. */
        @WithDefault("P7D")
        Duration retention();
    }

    /** Inbox consumers. */
    interface Consumer {
        /** Attempts per record before it goes to the dead-letter topic. */
        @WithDefault("5")
        int maxAttempts();

        /** Delay before the second attempt; doubled for each further one. */
        @WithDefault("200ms")
        Duration initialBackoff();

        /** Upper bound of the delay between attempts. */
        @WithDefault("5s")
        Duration maxBackoff();
    }
}
