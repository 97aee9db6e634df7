package io.modelgate.serving.client;

/** A Kubernetes API call that failed after its retries; the message is safe to show and to log. */
public class KubeException extends RuntimeException {

    private final int code;

    public KubeException(String message, int code, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    /** The HTTP status of the last attempt, 0 when the API server was not reached. */
    public int code() {
        return code;
    }
}
