package io.modelgate.scanner.client.trivy;

/**
 * Trivy could not produce a usable result (missing, crashed, timed out, printed garbage); the message is the reason a
 * scan ends in ERROR, safe to show: it never contains a credential.
 */
public class TrivyException extends Exception {

    public TrivyException(String message) {
        super(message);
    }

    public TrivyException(String message, Throwable cause) {
        super(message, cause);
    }
}
