package io.modelgate.scanner.domain;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.ColumnTransformer;
import org.hibernate.annotations.Mutability;
import org.hibernate.type.descriptor.java.Immutability;

import io.modelgate.events.ImageDescriptor;
import io.modelgate.events.ScannerInfo;
import io.modelgate.events.SeverityCounts;
import io.modelgate.events.Verdict;
import io.modelgate.scanner.persistence.JsonConverters;

/**
 * The scan of one image digest: what to scan, where it stands, and its latest result. Findings and reasons are replaced
 * whole, never changed in place, so Hibernate need not snapshot them (a 1 MB report has hundreds of findings).
 */
@Entity
@Table(name = "image_scan")
public class ImageScan {

    @Id
    public UUID id;

    public String digest;

    public String reference;

    public String registry;

    public String repository;

    public String tag;

    @Column(name = "connection_id")
    public String connectionId;

    /**
     * The image exactly as the discovery that queued this scan described it (labels, annotations, platform, size,
     * creation time, media type): every {@code ScanCompleted} of the digest carries it on, rescans included. Stored in
     * the events' own JSON mapping, so it reads back exactly as it arrived; a record, never changed in place.
     */
    @Column(name = "image")
    @Convert(converter = JsonConverters.Image.class)
    @ColumnTransformer(write = "cast(? as jsonb)")
    @Mutability(Immutability.class)
    public ImageDescriptor descriptor;

    /** The trace of the discovery that queued this scan (W3C {@code traceparent}); null when tracing was off. */
    public String traceparent;

    public String tracestate;

    @Enumerated(EnumType.STRING)
    public ScanStatus status;

    @Column(name = "requested_at")
    public Instant requestedAt;

    @Column(name = "discovery_event_id")
    public UUID discoveryEventId;

    /** Whether the run queued or finished last is a rescan of a digest scanned before. */
    public boolean rescan;

    /** Claims since the last result; at {@code worker.max-attempts} the scan ends in ERROR instead. */
    public int attempts;

    /** The current claim's token while RUNNING: only the worker holding it may record the result. */
    @Column(name = "claim_token")
    public UUID claimToken;

    @Column(name = "started_at")
    public Instant startedAt;

    /** When Trivy last produced (or failed to produce) a report for this digest. */
    @Column(name = "scanned_at")
    public Instant scannedAt;

    /** When the verdict was last decided: at a scan, or when a cached result was judged again. */
    @Column(name = "evaluated_at")
    public Instant evaluatedAt;

    @Enumerated(EnumType.STRING)
    public Verdict verdict;

    @Convert(converter = JsonConverters.Strings.class)
    @Mutability(Immutability.class)
    public List<String> reasons;

    @Column(name = "scanner_version")
    public String scannerVersion;

    @Column(name = "db_version")
    public String dbVersion;

    @Column(name = "db_updated_at")
    public Instant dbUpdatedAt;

    public int critical;

    public int high;

    public int medium;

    public int low;

    public int unknown;

    @Column(name = "fixable_count")
    public int fixableCount;

    @Column(name = "secret_count")
    public int secretCount;

    @Column(name = "misconfiguration_count")
    public int misconfigurationCount;

    /**
     * The findings of the last successful scan; null before one and after an ERROR (nothing is known about the image
     * then, so nothing is answered from cache and the next request runs Trivy).
     */
    @Convert(converter = JsonConverters.Findings.class)
    @Mutability(Immutability.class)
    public List<Finding> findings;

    /** The image as discovered, for {@code ScanCompleted}. */
    public ImageDescriptor image() {
        return descriptor;
    }

    /**
     * {@code stored} with what it lacks taken from {@code found}, another discovery of the same digest; null when it
     * lacks nothing {@code found} has. Only what belongs to the digest (media type, platform, size, creation time,
     * labels, annotations) is taken, as it is the same wherever the digest is found; where and under which tag it was
     * found first is kept. A descriptor stored before labels and annotations were kept is completed this way.
     */
    public static ImageDescriptor completed(ImageDescriptor stored, ImageDescriptor found) {
        ImageDescriptor completed = new ImageDescriptor(stored.connectionId(), stored.registry(), stored.repository(),
                stored.tag(), stored.digest(), stored.reference(),
                stored.mediaType() != null ? stored.mediaType() : found.mediaType(),
                stored.platform() != null ? stored.platform() : found.platform(),
                stored.sizeBytes() != 0 ? stored.sizeBytes() : found.sizeBytes(),
                stored.createdAt() != null ? stored.createdAt() : found.createdAt(),
                stored.labels().isEmpty() ? found.labels() : stored.labels(),
                stored.annotations().isEmpty() ? found.annotations() : stored.annotations());
        return completed.equals(stored) ? null : completed;
    }

    public SeverityCounts counts() {
        return new SeverityCounts(critical, high, medium, low, unknown);
    }

    public ScannerInfo scanner() {
        return new ScannerInfo("trivy", scannerVersion == null ? "unknown" : scannerVersion, dbVersion, dbUpdatedAt);
    }
}
