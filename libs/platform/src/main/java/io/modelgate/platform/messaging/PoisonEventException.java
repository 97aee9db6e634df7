package io.modelgate.platform.messaging;

/**
 * Thrown for a record that can never be processed; it goes to the dead-letter topic at once, without retries. Handlers
 * throw it (with {@link DeadLetterReason#REJECTED}) for events that are well-formed but invalid for their domain.
 */
public class PoisonEventException extends RuntimeException {

    private final DeadLetterReason reason;

    public PoisonEventException(DeadLetterReason reason, String message) {
        this(reason, message, null);
    }

    public PoisonEventException(DeadLetterReason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public DeadLetterReason reason() {
        return reason;
    }
}
