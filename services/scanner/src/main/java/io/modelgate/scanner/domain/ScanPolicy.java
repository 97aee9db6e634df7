package io.modelgate.scanner.domain;

import java.math.BigDecimal;
import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** The scan policy: one row, what a scan may contain and still PASS. */
@Entity
@Table(name = "scan_policy")
public class ScanPolicy {

    /** The only row's id. */
    public static final int ID = 1;

    @Id
    public int id;

    /** Vulnerabilities above this severity fail the scan. */
    @Enumerated(EnumType.STRING)
    @Column(name = "max_severity")
    public Severity maxSeverity;

    /** Whether vulnerabilities without a fixed version are left out of the verdict. */
    @Column(name = "ignore_unfixed")
    public boolean ignoreUnfixed;

    /** Vulnerabilities scored at or above this CVSS fail the scan whatever their severity; null for no threshold. */
    @Column(name = "cvss_threshold")
    public BigDecimal cvssThreshold;

    /** Whether any secret fails the scan. */
    @Column(name = "secrets_fail")
    public boolean secretsFail;

    @Column(name = "updated_at")
    public Instant updatedAt;

    @Column(name = "updated_by")
    public String updatedBy;
}
