package io.modelgate.scanner.api;

import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.modelgate.events.ImageDescriptor;
import io.modelgate.events.ScannerInfo;
import io.modelgate.events.SeverityCounts;
import io.modelgate.platform.problem.ProblemException;
import io.modelgate.platform.security.Roles;
import io.modelgate.scanner.domain.Finding;
import io.modelgate.scanner.domain.ImageScan;
import io.modelgate.scanner.domain.ScanReport;
import io.modelgate.scanner.domain.ScanService;
import io.modelgate.scanner.domain.Severity;
import io.modelgate.scanner.persistence.ImageScanRepository;
import io.modelgate.scanner.persistence.ScanReportRepository;

/** The scan of an image digest: its verdict and findings, its full report, and rescans. */
@Path("/api/v1/scans")
@Tag(name = "Scans")
public class ScanResource {

    /**
     * A digest's scan as the API shows it.
     *
     * @param fromCache on a rescan answer: whether it came from the stored result without running Trivy
     * @param findings the findings (of the requested severities); null in a rescan answer
     */
    public record ScanView(String scanId, String digest, String reference, String registry, String repository,
            String tag, String status, String verdict, List<String> reasons, ScannerInfo scanner,
            SeverityCounts counts, int fixableCount, int secretCount, int misconfigurationCount, boolean rescan,
            int attempts, Instant requestedAt, Instant startedAt, Instant scannedAt, Instant evaluatedAt,
            String reportUrl, Boolean fromCache, List<Finding> findings) {
    }

    private final ImageScanRepository scans;
    private final ScanReportRepository reports;
    private final ScanService service;

    public ScanResource(ImageScanRepository scans, ScanReportRepository reports, ScanService service) {
        this.scans = scans;
        this.reports = reports;
        this.service = service;
    }

    @GET
    @Path("/{digest}")
    @RolesAllowed(Roles.VIEWER)
    @Operation(summary = "The scan of an image digest, with its findings (optionally only some severities)")
    public ScanView byDigest(@PathParam("digest") @Pattern(regexp = ImageDescriptor.DIGEST_REGEX) String digest,
            @Parameter(description = "Only findings of these severities (repeatable): CRITICAL, HIGH, MEDIUM, LOW, UNKNOWN") @QueryParam("severity") List<String> severity) {
        Set<Severity> severities = severities(severity);
        return view(find(digest), severities, null);
    }

    @GET
    @Path("/{digest}/report")
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.ADMIN, Roles.OPERATOR, Roles.APPROVER})
    @Operation(summary = "The full Trivy JSON report of a digest's last successful scan")
    public String report(@PathParam("digest") @Pattern(regexp = ImageDescriptor.DIGEST_REGEX) String digest) {
        ScanReport report = reports.findById(find(digest).id);
        if (report == null) {
            throw ProblemException.notFound("No report stored for " + digest);
        }
        return report.content;
    }

    @POST
    @Path("/{digest}/rescan")
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Rescan a digest: 200 answered from the result stored for the current database, 202 queued;"
            + " the answer leaves out the findings (GET the scan for them)")
    public Response rescan(@PathParam("digest") @Pattern(regexp = ImageDescriptor.DIGEST_REGEX) String digest) {
        ScanService.RescanOutcome outcome = service.rescan(digest);
        boolean fromCache = outcome == ScanService.RescanOutcome.FROM_CACHE;
        return Response.status(fromCache ? 200 : 202)
                .entity(view(find(digest), null, fromCache))
                .build();
    }

    private ImageScan find(String digest) {
        return scans.findByDigest(digest).orElseThrow(() -> ProblemException.notFound("No scan for " + digest));
    }

    /** {@code severities} null leaves the findings out. */
    private ScanView view(ImageScan scan, Set<Severity> severities, Boolean fromCache) {
        List<Finding> findings = null;
        if (severities != null) {
            findings = scan.findings == null
                    ? List.of()
                    : scan.findings.stream().filter(f -> severities.contains(f.severity())).toList();
        }
        boolean hasReport = scan.findings != null;
        return new ScanView(scan.id.toString(), scan.digest, scan.reference, scan.registry, scan.repository,
                scan.tag, scan.status.name(), scan.verdict == null ? null : scan.verdict.name(),
                scan.reasons == null ? List.of() : scan.reasons, scan.verdict == null ? null : scan.scanner(),
                scan.counts(), scan.fixableCount, scan.secretCount, scan.misconfigurationCount, scan.rescan,
                scan.attempts, scan.requestedAt, scan.startedAt, scan.scannedAt, scan.evaluatedAt,
                hasReport ? service.reportUrl(scan.digest) : null, fromCache, findings);
    }

    private static Set<Severity> severities(List<String> values) {
        if (values == null || values.isEmpty()) {
            return EnumSet.allOf(Severity.class);
        }
        Set<Severity> result = EnumSet.noneOf(Severity.class);
        for (String value : values) {
            for (String part : value.split(",")) {
                result.add(Severity.parse(part)
                        .orElseThrow(() -> ProblemException.badRequest("Unknown severity '" + part
                                + "'; expected one of " + List.of(Severity.values()))));
            }
        }
        return result;
    }
}
