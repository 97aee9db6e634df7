package io.modelgate.registrysync.api;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.UUID;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.modelgate.platform.problem.ProblemException;
import io.modelgate.registrysync.config.RegistrySyncConfig;
import io.modelgate.registrysync.domain.WebhookPayloads;
import io.modelgate.registrysync.domain.Webhooks;

/**
 * Registry webhooks, authenticated by the connection's own secret rather than a JWT (registries cannot get one):
 * checked before the body is read, and nothing is stored unless the whole body is valid.
 */
@Path("/webhooks")
@Tag(name = "Webhooks")
public class WebhookResource {

    /** What a delivery did. */
    public record Accepted(int accepted, int duplicates, int ignored) {
    }

    private final Webhooks webhooks;
    private final RegistrySyncConfig config;

    public WebhookResource(Webhooks webhooks, RegistrySyncConfig config) {
        this.webhooks = webhooks;
        this.config = config;
    }

    @POST
    @Path("/{connectionId}")
    @PermitAll
    @Consumes(MediaType.WILDCARD)
    @SecurityRequirement(name = "webhook-secret")
    @Operation(summary = "Receive a registry webhook", description = "Distribution notification envelopes, Harbor"
            + " default and CloudEvents payloads, generic CloudEvents (structured or binary). Authorization: the"
            + " connection's webhook secret, as 'Bearer <secret>' or raw. 202 once persisted; duplicate event ids are"
            + " ignored. 401 wrong secret, 404 unknown connection, 413 body too large, 400 malformed.")
    public Response receive(@PathParam("connectionId") String connectionId,
            @HeaderParam("Authorization") String authorization, @HeaderParam("ce-id") String ceId,
            @HeaderParam("ce-type") String ceType, InputStream body) {
        webhooks.authenticate(connectionId, authorization);
        byte[] bytes = read(body);
        List<WebhookPayloads.Event> events;
        try {
            events = WebhookPayloads.parse(bytes, ceId, ceType);
        } catch (WebhookPayloads.MalformedWebhookException e) {
            throw ProblemException.badRequest("Malformed webhook: " + e.getMessage());
        }
        Webhooks.Receipt receipt = webhooks.receive(UUID.fromString(connectionId), events);
        return Response.accepted(new Accepted(receipt.accepted(), receipt.duplicates(), 0)).build();
    }

    private byte[] read(InputStream body) {
        int limit = config.webhook().maxBodyBytes();
        try (InputStream in = body) {
            byte[] bytes = in == null ? new byte[0] : in.readNBytes(limit + 1);
            if (bytes.length > limit) {
                throw new ProblemException(413, "Content Too Large",
                        "The webhook body is larger than " + limit + " bytes");
            }
            if (bytes.length == 0) {
                throw ProblemException.badRequest("Malformed webhook: empty body");
            }
            return bytes;
        } catch (IOException e) {
            throw ProblemException.badRequest("The webhook body could not be read");
        }
    }
}
