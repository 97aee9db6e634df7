package io.modelgate.scanner.domain;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** The full JSON report of a scan's last successful Trivy run, as Trivy printed it. */
@Entity
@Table(name = "scan_report")
public class ScanReport {

    @Id
    @Column(name = "scan_id")
    public UUID scanId;

    public String content;

    @Column(name = "stored_at")
    public Instant storedAt;
}
