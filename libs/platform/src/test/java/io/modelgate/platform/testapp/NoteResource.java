package io.modelgate.platform.testapp;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;

import io.modelgate.events.DiscoveryMethod;
import io.modelgate.events.ImageDescriptor;
import io.modelgate.events.RegistryImageDiscovered;
import io.modelgate.events.Topics;
import io.modelgate.platform.outbox.Outbox;
import io.modelgate.platform.problem.ProblemException;
import io.modelgate.platform.security.Roles;

/** Test-only endpoint: a state change and its event in one transaction, the way every service writes. */
@Path("/test")
public class NoteResource {

    public record NoteRequest(@NotBlank @Pattern(regexp = "sha256:[a-f0-9]{64}") String digest,
            boolean failAfterPublish) {
    }

    public record NoteCreated(UUID eventId) {
    }

    private final EntityManager entityManager;
    private final Outbox outbox;

    public NoteResource(EntityManager entityManager, Outbox outbox) {
        this.entityManager = entityManager;
        this.outbox = outbox;
    }

    @POST
    @Path("/notes")
    @Transactional
    public NoteCreated create(@Valid NoteRequest request) {
        entityManager.createNativeQuery("insert into test_note (id, digest, created_at) values (?1, ?2, ?3)")
                .setParameter(1, UUID.randomUUID())
                .setParameter(2, request.digest())
                .setParameter(3, Instant.now())
                .executeUpdate();
        RegistryImageDiscovered event = RegistryImageDiscovered.of("local", image(request.digest()),
                DiscoveryMethod.MANUAL, null, null);
        outbox.publish(Topics.REGISTRY_IMAGES, event.key(), event);
        if (request.failAfterPublish()) {
            throw ProblemException.conflict("Asked to fail after publishing");
        }
        return new NoteCreated(event.eventId());
    }

    @GET
    @Path("/admin-only")
    @RolesAllowed(Roles.ADMIN)
    public String adminOnly() {
        return "ok";
    }

    @GET
    @Path("/boom")
    public String boom() {
        throw new IllegalStateException("password=hunter2 must never reach a response");
    }

    public static ImageDescriptor image(String digest) {
        return new ImageDescriptor("conn-1", "registry.local:5000", "models/llama", "v1", digest,
                ImageDescriptor.pinnedReference("registry.local:5000", "models/llama", digest),
                "application/vnd.oci.image.manifest.v1+json", null, 1024, Instant.now(), Map.of(), Map.of());
    }
}
