package io.modelgate.registrysync.client;

/** A registry request that failed after retries, or was refused; the message never holds a credential. */
public class RegistryException extends RuntimeException {

    private final int status;

    public RegistryException(int status, String message) {
        super(message);
        this.status = status;
    }

    public RegistryException(String message, Throwable cause) {
        super(message, cause);
        this.status = 0;
    }

    /** HTTP status, 0 when the registry could not be reached. */
    public int status() {
        return status;
    }
}
