package io.modelgate.events;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonIgnore;

/**
 * A scan of an image finished with a verdict; produced by scanner, consumed by approval, which only lets
 * passing images become approvable.
 *
 * @param scanId id of the scan in scanner
 * @param image the scanned image
 * @param scanner scanner and database that produced the result
 * @param verdict outcome against the scan policy
 * @param counts vulnerabilities by severity
 * @param fixableCount vulnerabilities with a fixed version available
 * @param secretCount secrets found in the image
 * @param reasons human-readable reasons for the verdict (policy violations, scan errors)
 * @param rescan true when this re-scans a digest scanned before (e.g. after a database update)
 * @param reportUrl where the full report can be read; null if not stored
 * @param scannedAt when the scan finished; consumers ignore a scan older than the newest they recorded
 */
public record ScanCompleted(UUID eventId, Instant occurredAt, int schemaVersion, String scanId,
        ImageDescriptor image, ScannerInfo scanner, Verdict verdict, SeverityCounts counts, int fixableCount,
        int secretCount, List<String> reasons, boolean rescan, String reportUrl,
        Instant scannedAt) implements ModelgateEvent {

    public static final int SCHEMA_VERSION = 1;

    public ScanCompleted {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(occurredAt, "occurredAt");
        Values.requireSchemaVersion(schemaVersion, SCHEMA_VERSION);
        Objects.requireNonNull(scanId, "scanId");
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(scanner, "scanner");
        Objects.requireNonNull(verdict, "verdict");
        Objects.requireNonNull(counts, "counts");
        Values.nonNegative(fixableCount, "fixableCount");
        Values.nonNegative(secretCount, "secretCount");
        reasons = Values.list(reasons);
        Objects.requireNonNull(scannedAt, "scannedAt");
    }

    public static ScanCompleted of(String scanId, ImageDescriptor image, ScannerInfo scanner, Verdict verdict,
            SeverityCounts counts, int fixableCount, int secretCount, List<String> reasons, boolean rescan,
            String reportUrl, Instant scannedAt) {
        return new ScanCompleted(UUID.randomUUID(), Instant.now(), SCHEMA_VERSION, scanId, image, scanner, verdict,
                counts, fixableCount, secretCount, reasons, rescan, reportUrl, scannedAt);
    }

    /** Keyed by digest, like the discovery it answers, so scans of one image stay in order. */
    @JsonIgnore
    @Override
    public String key() {
        return image.digest();
    }

    /** What approval records and passes on in {@link ModelApproved#scan()}. */
    @JsonIgnore
    public ScanSummary summary() {
        return new ScanSummary(scanId, verdict, counts, fixableCount, secretCount, scannedAt, scanner.version(),
                scanner.dbVersion());
    }
}
