package io.modelgate.scanner.api;

import java.time.Instant;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.modelgate.events.ImageDescriptor;
import io.modelgate.platform.problem.ProblemException;
import io.modelgate.platform.security.Roles;
import io.modelgate.scanner.domain.ImageScan;
import io.modelgate.scanner.persistence.ImageScanRepository;

/** The scan of an image digest. */
@Path("/api/v1/scans")
@Tag(name = "Scans")
public class ScanResource {

    /** A digest's scan as the API shows it. */
    public record ScanView(String digest, String reference, String registry, String repository, String tag,
            String status, Instant requestedAt) {

        static ScanView of(ImageScan scan) {
            return new ScanView(scan.digest, scan.reference, scan.registry, scan.repository, scan.tag,
                    scan.status.name(), scan.requestedAt);
        }
    }

    private final ImageScanRepository scans;

    public ScanResource(ImageScanRepository scans) {
        this.scans = scans;
    }

    @GET
    @Path("/{digest}")
    @RolesAllowed(Roles.VIEWER)
    @Operation(summary = "The scan of an image digest")
    public ScanView byDigest(@PathParam("digest") @Pattern(regexp = ImageDescriptor.DIGEST_REGEX) String digest) {
        return scans.findByDigest(digest)
                .map(ScanView::of)
                .orElseThrow(() -> ProblemException.notFound("No scan for " + digest));
    }
}
