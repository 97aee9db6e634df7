package io.modelgate.registrysync.api;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.modelgate.events.ImageDescriptor;
import io.modelgate.platform.security.Roles;
import io.modelgate.registrysync.domain.DiscoveredImage;
import io.modelgate.registrysync.domain.ManualDiscovery;
import io.modelgate.registrysync.persistence.DiscoveredImageRepository;
import io.quarkus.security.identity.SecurityIdentity;

/** Announced images: list them by digest, or announce one by hand. */
@Path("/api/v1/discoveries")
@Tag(name = "Discoveries")
public class DiscoveryResource {

    /** An image to announce, pinned by digest. */
    public record ManualDiscoveryRequest(
            @NotBlank @Size(max = 255) @Pattern(regexp = "[a-zA-Z0-9.-]+(:[0-9]+)?", message = "must be host[:port]") String registry,
            @NotBlank @Size(max = 255) @Pattern(regexp = "[a-z0-9]+([._-][a-z0-9]+)*(/[a-z0-9]+([._-][a-z0-9]+)*)*", message = "must be an OCI repository name") String repository,
            @Size(max = 128) @Pattern(regexp = "[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}", message = "must be an OCI tag") String tag,
            @NotNull @Pattern(regexp = ImageDescriptor.DIGEST_REGEX, message = "must be an OCI digest such as sha256:<hex>") String digest,
            @Size(max = 255) String mediaType,
            Map<@NotBlank String, @NotNull String> annotations) {
    }

    /** An announced image. */
    public record DiscoveryView(UUID id, String registry, String repository, String tag, String digest,
            String reference, String discoveredBy, Instant discoveredAt, UUID eventId) {

        static DiscoveryView of(DiscoveredImage image) {
            return new DiscoveryView(image.id, image.registry, image.repository, image.tag, image.digest,
                    image.reference, image.discoveredBy.name(), image.discoveredAt, image.eventId);
        }
    }

    private final ManualDiscovery manualDiscovery;
    private final DiscoveredImageRepository images;
    private final SecurityIdentity identity;

    public DiscoveryResource(ManualDiscovery manualDiscovery, DiscoveredImageRepository images,
            SecurityIdentity identity) {
        this.manualDiscovery = manualDiscovery;
        this.images = images;
        this.identity = identity;
    }

    @POST
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Announce an image by digest", description = "201 with the announcement; 200 with the earlier"
            + " one when the same image was announced before (no second event).")
    public Response announce(@Valid @NotNull ManualDiscoveryRequest request) {
        ManualDiscovery.Result result = manualDiscovery.announce(request.registry(), request.repository(),
                request.tag(), request.digest(), request.mediaType(),
                request.annotations() == null ? Map.of() : request.annotations(),
                identity.getPrincipal().getName());
        DiscoveryView view = DiscoveryView.of(result.image());
        return result.created()
                ? Response.created(URI.create("/api/v1/discoveries?digest=" + view.digest())).entity(view).build()
                : Response.ok(view).build();
    }

    @GET
    @RolesAllowed(Roles.VIEWER)
    @Operation(summary = "Announcements of an image digest, newest first")
    public List<DiscoveryView> byDigest(
            @QueryParam("digest") @NotNull @Pattern(regexp = ImageDescriptor.DIGEST_REGEX) String digest) {
        return images.findByDigest(digest).stream().map(DiscoveryView::of).toList();
    }
}
