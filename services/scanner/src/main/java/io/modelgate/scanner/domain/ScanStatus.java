package io.modelgate.scanner.domain;

/** Where a digest's scan stands. */
public enum ScanStatus {
    /** Discovered and waiting for the scanner. */
    QUEUED
}
