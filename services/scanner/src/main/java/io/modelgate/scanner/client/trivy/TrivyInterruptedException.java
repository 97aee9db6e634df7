package io.modelgate.scanner.client.trivy;

/**
 * The calling thread was interrupted (the service is stopping) while it waited for or ran Trivy; Trivy's processes are
 * killed. Not a finding about the image: the scan should be run again, not judged.
 */
public class TrivyInterruptedException extends TrivyException {

    public TrivyInterruptedException(String message) {
        super(message);
    }
}
