package io.modelgate.registrysync.config;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Settings of registry-sync ({@code modelgate.registry-sync.*}) and their defaults; each is in the README. */
@ConfigMapping(prefix = "modelgate.registry-sync")
public interface RegistrySyncConfig {

    /** Base64 of a 32-byte AES key that encrypts registry credentials at rest; the deployment supplies it. */
    Optional<String> credentialsKey();

    /** Polling. */
    Poll poll();

    /** Registry HTTP client. */
    Client client();

    /** Webhook endpoint. */
    Webhook webhook();

    /** Polling settings. */
    interface Poll {
        /**
         * How often due polls are started, stale runs failed and left-behind webhook events picked up (read by the
         * {@code @Scheduled} methods of SyncRuns and Webhooks).
         */
        @WithDefault("10s")
        String tick();

        /** Interval of connections created without one. */
        @WithDefault("15m")
        Duration defaultInterval();

        /** Shortest interval a connection may ask for, so one connection cannot hammer a registry. */
        @WithDefault("30s")
        Duration minInterval();

        /** A run whose instance has not reported progress for this long is marked failed (instance died). */
        @WithDefault("2m")
        Duration staleAfter();

        /** Error messages kept per run; the error count goes on beyond it. */
        @WithDefault("50")
        int maxMessages();
    }

    /** How registry-sync talks to registries. */
    interface Client {
        /** Requests in flight at once per connection (a semaphore), so a large registry is not flooded. */
        @WithDefault("8")
        int maxConcurrency();

        /** Attempts per request on 5xx, 429 or I/O errors. */
        @WithDefault("4")
        int maxAttempts();

        /** First backoff between attempts; doubled each time, with jitter. */
        @WithDefault("200ms")
        Duration initialBackoff();

        /** Longest backoff, and longest Retry-After honoured (a longer one fails the request). */
        @WithDefault("30s")
        Duration maxBackoff();

        @WithDefault("5s")
        Duration connectTimeout();

        @WithDefault("30s")
        Duration requestTimeout();

        /** Page size asked of {@code _catalog} and {@code tags/list} ({@code n}). */
        @WithDefault("1000")
        int pageSize();

        /** Largest manifest or config blob read, so a hostile registry cannot exhaust memory. */
        @WithDefault("4194304")
        int maxDocumentBytes();
    }

    /** Webhook settings. */
    interface Webhook {
        /** Largest accepted webhook body; larger ones get 413 and nothing is stored. */
        @WithDefault("1048576")
        int maxBodyBytes();

        /** Threads processing persisted webhook events. */
        @WithDefault("4")
        int workers();
    }
}
