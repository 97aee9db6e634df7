package io.modelgate.registrysync.domain;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.modelgate.events.ImageDescriptor;
import io.modelgate.registrysync.client.Digests;
import io.modelgate.registrysync.client.RegistryClient;

/**
 * Reads registry webhooks into the events Modelgate acts on: the distribution notification envelope, Harbor's default
 * and CloudEvents payloads, and a generic CloudEvents push (structured, or binary with {@code ce-*} headers). Events
 * that do not concern a manifest push or a delete (pulls, blob pushes, scans) are left out.
 */
public final class WebhookPayloads {

    public static final String DISTRIBUTION_ENVELOPE = "application/vnd.docker.distribution.events.v1+json";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern REPOSITORY = Pattern
            .compile("[a-z0-9]+([._-][a-z0-9]+)*(/[a-z0-9]+([._-][a-z0-9]+)*)*");
    private static final Pattern TAG = Pattern.compile("[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}");
    private static final Set<String> MANIFEST_TYPES = Set.of(RegistryClient.OCI_MANIFEST, RegistryClient.OCI_INDEX,
            RegistryClient.DOCKER_MANIFEST, RegistryClient.DOCKER_LIST);

    private WebhookPayloads() {
    }

    /** One event to persist: its id (for duplicate detection), format, action and image. */
    public record Event(String eventId, String format, WebhookDelivery.Action action, String repository, String tag,
            String digest) {
    }

    /** The body is not a webhook Modelgate understands; the message says why and quotes nothing of it. */
    public static class MalformedWebhookException extends RuntimeException {
        public MalformedWebhookException(String message) {
            super(message);
        }
    }

    /**
     * Parses a webhook body.
     *
     * @param ceId the {@code ce-id} header of a binary-mode CloudEvent, else null
     * @param ceType the {@code ce-type} header of a binary-mode CloudEvent, else null
     */
    public static List<Event> parse(byte[] body, String ceId, String ceType) {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (IOException e) {
            throw new MalformedWebhookException("body is not valid JSON");
        }
        if (root == null || !root.isObject()) {
            throw new MalformedWebhookException("body is not a JSON object");
        }
        if (ceId != null) {
            return cloudEvent(ceId, ceType, root, "cloudevents-binary");
        }
        if (root.has("events")) {
            return distribution(root);
        }
        if (root.has("specversion")) {
            return cloudEvent(text(root, "id"), text(root, "type"), root.path("data"), "cloudevents");
        }
        if (root.has("type") && root.has("event_data")) {
            return harbor(Digests.sha256(body), text(root, "type"), root.path("event_data"), "harbor");
        }
        throw new MalformedWebhookException("not a distribution notification, Harbor payload or CloudEvent");
    }

    private static List<Event> distribution(JsonNode root) {
        JsonNode events = root.path("events");
        if (!events.isArray()) {
            throw new MalformedWebhookException("events must be an array");
        }
        List<Event> result = new ArrayList<>();
        for (JsonNode event : events) {
            String id = required(event, "id", "events[].id");
            String action = text(event, "action");
            JsonNode target = event.path("target");
            String mediaType = text(target, "mediaType");
            String repository = text(target, "repository");
            if ("push".equals(action)) {
                // Distribution also notifies blob pushes (and pulls); only manifests announce images.
                if (mediaType == null || !MANIFEST_TYPES.contains(mediaType)) {
                    continue;
                }
                result.add(event(id, "distribution", WebhookDelivery.Action.PUSH, repository, text(target, "tag"),
                        text(target, "digest")));
            } else if ("delete".equals(action)) {
                result.add(event(id, "distribution", WebhookDelivery.Action.DELETE, repository, text(target, "tag"),
                        text(target, "digest")));
            }
        }
        return result;
    }

    private static List<Event> cloudEvent(String id, String type, JsonNode data, String format) {
        if (id == null || id.isBlank()) {
            throw new MalformedWebhookException("CloudEvent has no id");
        }
        if (type == null || type.isBlank()) {
            throw new MalformedWebhookException("CloudEvent has no type");
        }
        if (type.startsWith("harbor.")) {
            return harbor(id, type, data, "harbor-cloudevents");
        }
        String lower = type.toLowerCase(Locale.ROOT);
        WebhookDelivery.Action action;
        if (lower.contains("delete")) {
            action = WebhookDelivery.Action.DELETE;
        } else if (lower.contains("push")) {
            action = WebhookDelivery.Action.PUSH;
        } else {
            return List.of();
        }
        if (!data.isObject()) {
            throw new MalformedWebhookException("CloudEvent data must be an object with repository, tag and digest");
        }
        return List.of(event(id, format, action, text(data, "repository"), text(data, "tag"), text(data, "digest")));
    }

    private static List<Event> harbor(String id, String type, JsonNode data, String format) {
        WebhookDelivery.Action action = switch (type) {
            case "PUSH_ARTIFACT", "harbor.artifact.pushed" -> WebhookDelivery.Action.PUSH;
            case "DELETE_ARTIFACT", "harbor.artifact.deleted" -> WebhookDelivery.Action.DELETE;
            default -> null;
        };
        if (action == null) {
            return List.of();
        }
        String repository = text(data.path("repository"), "repo_full_name");
        JsonNode resources = data.path("resources");
        if (!resources.isArray() || resources.isEmpty()) {
            throw new MalformedWebhookException("Harbor event has no resources");
        }
        List<Event> result = new ArrayList<>();
        for (int i = 0; i < resources.size(); i++) {
            JsonNode resource = resources.get(i);
            String eventId = resources.size() == 1 ? id : id + "#" + i;
            result.add(event(eventId, format, action, repository, text(resource, "tag"), text(resource, "digest")));
        }
        return result;
    }

    private static Event event(String id, String format, WebhookDelivery.Action action, String repository, String tag,
            String digest) {
        if (id.length() > 255) {
            throw new MalformedWebhookException("event id is longer than 255 characters");
        }
        if (repository == null || repository.length() > 255 || !REPOSITORY.matcher(repository).matches()) {
            throw new MalformedWebhookException("event " + id + " has no valid repository name");
        }
        if (digest != null && !ImageDescriptor.isValidDigest(digest)) {
            throw new MalformedWebhookException("event " + id + " has an invalid digest");
        }
        if (tag != null && tag.equals(digest)) {
            // Harbor reports an untagged push with the digest as its "tag".
            tag = null;
        }
        if (tag != null && !TAG.matcher(tag).matches()) {
            throw new MalformedWebhookException("event " + id + " has an invalid tag");
        }
        if (tag == null && digest == null) {
            throw new MalformedWebhookException("event " + id + " names neither a tag nor a digest");
        }
        return new Event(id, format, action, repository, tag, digest);
    }

    private static String required(JsonNode node, String field, String name) {
        String value = text(node, field);
        if (value == null || value.isBlank()) {
            throw new MalformedWebhookException(name + " is missing");
        }
        return value;
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        return value == null || value.isNull() || !value.isValueNode() ? null : value.asText();
    }
}
