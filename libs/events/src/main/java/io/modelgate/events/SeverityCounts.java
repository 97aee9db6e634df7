package io.modelgate.events;

/** Vulnerability counts by severity from a scan, produced by scanner and shown by approval to approvers. */
public record SeverityCounts(int critical, int high, int medium, int low, int unknown) {

    private static final SeverityCounts NONE = new SeverityCounts(0, 0, 0, 0, 0);

    public SeverityCounts {
        Values.nonNegative(critical, "critical");
        Values.nonNegative(high, "high");
        Values.nonNegative(medium, "medium");
        Values.nonNegative(low, "low");
        Values.nonNegative(unknown, "unknown");
    }

    /** A clean scan. */
    public static SeverityCounts none() {
        return NONE;
    }

    /** All vulnerabilities regardless of severity. */
    public int total() {
        return critical + high + medium + low + unknown;
    }
}
