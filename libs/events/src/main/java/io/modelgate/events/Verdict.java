package io.modelgate.events;

/** Outcome of a scan against the scan policy, produced by scanner; approval only approves {@link #PASS}. */
public enum Verdict {
    /** Within policy. */
    PASS,
    /** Violates policy (vulnerabilities or secrets over the thresholds). */
    FAIL,
    /** The scan itself could not complete, so nothing is known about the image. */
    ERROR
}
