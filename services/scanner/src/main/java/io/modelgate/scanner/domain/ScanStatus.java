package io.modelgate.scanner.domain;

/** Where a digest's scan stands. */
public enum ScanStatus {
    /** Discovered (or queued for a rescan) and waiting for the scanner. */
    QUEUED,
    /** Claimed by a worker; Trivy is running. */
    RUNNING,
    /** Finished with a verdict (PASS, FAIL or ERROR). */
    DONE
}
