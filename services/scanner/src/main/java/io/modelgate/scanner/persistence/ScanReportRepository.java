package io.modelgate.scanner.persistence;

import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.modelgate.scanner.domain.ScanReport;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;

/** Raw Trivy reports by scan id. */
@ApplicationScoped
public class ScanReportRepository implements PanacheRepositoryBase<ScanReport, UUID> {
}
