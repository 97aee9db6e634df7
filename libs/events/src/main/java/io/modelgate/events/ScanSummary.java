package io.modelgate.events;

import java.time.Instant;
import java.util.Objects;

/**
 * The gist of the scan an approval was based on, derived from {@link ScanCompleted} and carried by
 * {@link ModelApproved} so serving and auditors see it without asking scanner.
 *
 * @param scannerVersion null if unknown
 * @param dbVersion null if unknown
 */
public record ScanSummary(String scanId, Verdict verdict, SeverityCounts counts, int fixableCount,
        int secretCount, Instant scannedAt, String scannerVersion, String dbVersion) {

    public ScanSummary {
        Objects.requireNonNull(scanId, "scanId");
        Objects.requireNonNull(verdict, "verdict");
        Objects.requireNonNull(counts, "counts");
        Values.nonNegative(fixableCount, "fixableCount");
        Values.nonNegative(secretCount, "secretCount");
        Objects.requireNonNull(scannedAt, "scannedAt");
    }
}
