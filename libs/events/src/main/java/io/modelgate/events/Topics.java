package io.modelgate.events;

/** Kafka topic names; the single source of truth for producers (outbox relay) and consumers alike. */
public final class Topics {

    /** {@link RegistryImageDiscovered}, produced by registry-sync, consumed by scanner. */
    public static final String REGISTRY_IMAGES = "modelgate.registry.images";

    /** {@link ScanCompleted}, produced by scanner, consumed by approval. */
    public static final String SCANNER_SCANS = "modelgate.scanner.scans";

    /**
     * {@link ModelApproved} and {@link ModelRevoked}, produced by approval, consumed by serving; one topic
     * so that a revocation can never overtake its approval.
     */
    public static final String APPROVAL_MODELS = "modelgate.approval.models";

    /** {@link ServiceRegistered} and {@link ServiceDeregistered}, produced by serving, consumed by model-sync. */
    public static final String SERVING_SERVICES = "modelgate.serving.services";

    private Topics() {
    }

    /**
     * The dead-letter topic of one consumer of a topic; per consumer, so that replaying it cannot redeliver
     * a record to the consumers that already processed it.
     *
     * @throws IllegalArgumentException if either argument is null or blank
     */
    public static String deadLetter(String topic, String consumer) {
        requireNonBlank(topic, "topic");
        requireNonBlank(consumer, "consumer");
        return topic + ".dlq." + consumer;
    }

    private static void requireNonBlank(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank");
        }
    }
}
