package io.modelgate.platform.messaging;

/** Why a record went to a dead-letter topic; written to the {@code modelgate-dlq-reason} header. */
public enum DeadLetterReason {
    /** The value is not JSON of the declared type, or is missing. */
    UNPARSEABLE,
    /** No {@code ce_type}, or a type this consumer does not know. */
    UNKNOWN_TYPE,
    /** A known type with a schema version this consumer cannot read. */
    UNSUPPORTED_VERSION,
    /** The handler rejected the event as invalid; retrying cannot help. */
    REJECTED,
    /** The handler kept failing until the attempts ran out. */
    PROCESSING_FAILED
}
