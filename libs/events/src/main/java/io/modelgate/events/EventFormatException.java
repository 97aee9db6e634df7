package io.modelgate.events;

/**
 * Thrown by {@link EventJson} when a payload cannot be written or read; unchecked because a consumer's only
 * sensible reaction is to send the record to its dead-letter topic.
 */
public class EventFormatException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public EventFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
