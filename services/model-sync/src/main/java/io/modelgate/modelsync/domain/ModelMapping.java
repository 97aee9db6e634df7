package io.modelgate.modelsync.domain;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.modelgate.events.FunctionType;

/**
 * How a served service appears in AIDB: its stable model name, the provider that fits its function type, and the
 * config with the ownership marker. Pure functions, so the event path and the reconcile cycle cannot disagree.
 */
public final class ModelMapping {

    /** The key in a model's config that marks it as Modelgate's; a model without it is a user's and never touched. */
    public static final String MARKER = "modelgate";

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Function types in the order that picks the provider when a service has several. */
    private static final List<FunctionType> PRECEDENCE = List.of(FunctionType.CHAT, FunctionType.COMPLETION,
            FunctionType.EMBEDDING, FunctionType.RERANK, FunctionType.OCR, FunctionType.IMAGE_EMBEDDING);

    private ModelMapping() {
    }

    /**
     * {@code mg_<namespace>__<name>}: lower case, every character outside {@code [a-z0-9_]} becomes {@code _}. The
     * double underscore keeps {@code a/b-c} and {@code a-b/c} apart; it depends only on the service id, so a new
     * version of the same service updates the same AIDB model, which pipelines keep finding by name.
     */
    public static String aidbName(String serviceId) {
        int slash = serviceId.indexOf('/');
        String namespace = slash < 0 ? "default" : serviceId.substring(0, slash);
        String name = slash < 0 ? serviceId : serviceId.substring(slash + 1);
        return "mg_" + sanitise(namespace) + "__" + sanitise(name);
    }

    private static String sanitise(String part) {
        return part.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
    }

    /**
     * The AIDB provider for a service, or empty when none of its function types has one. NIM-served models (runtime
     * or external provider {@code nim}) use the NIM providers where AIDB has them.
     */
    public static Optional<String> provider(List<FunctionType> functionTypes, String runtime, String provider) {
        boolean nim = "nim".equalsIgnoreCase(runtime) || "nim".equalsIgnoreCase(provider);
        return PRECEDENCE.stream().filter(functionTypes::contains).findFirst().map(type -> switch (type) {
            case CHAT, COMPLETION -> nim ? "nim_completions" : "openai_completions";
            case EMBEDDING -> nim ? "nim_embeddings" : "openai_embeddings";
            case RERANK -> "nim_reranking";
            case OCR -> "nim_paddle_ocr";
            case IMAGE_EMBEDDING -> "nim_clip";
            case UNKNOWN -> throw new IllegalStateException("UNKNOWN is not in the precedence list");
        });
    }

    public static List<FunctionType> functionTypes(ServedModel served) {
        if (served.functionTypes.isEmpty()) {
            return List.of();
        }
        return Arrays.stream(served.functionTypes.split(",")).map(FunctionType::valueOf).toList();
    }

    /** The desired AIDB model of a served service, or empty when AIDB has no provider for what it does. */
    public static Optional<DesiredModel> desired(ServedModel served) {
        return provider(functionTypes(served), served.runtime, served.provider)
                .map(provider -> new DesiredModel(served.aidbName, provider, config(served), served.serviceId));
    }

    /** {@code {"model": ..., "url": internalUrl + basePath, "modelgate": {"owned": true, ...}}}; no credentials. */
    static ObjectNode config(ServedModel served) {
        ObjectNode config = JSON.createObjectNode();
        config.put("model", served.servedModelName);
        config.put("url", url(served.internalUrl, served.openAiBasePath));
        ObjectNode marker = config.putObject(MARKER);
        marker.put("owned", true);
        marker.put("serviceId", served.serviceId);
        if (served.versionId != null) {
            marker.put("versionId", served.versionId);
        }
        return config;
    }

    static String url(String base, String path) {
        String trimmed = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        if (path == null || path.isEmpty() || path.equals("/")) {
            return trimmed;
        }
        return trimmed + (path.startsWith("/") ? path : "/" + path);
    }

    /**
     * Whether a target's model already is what {@code desired} asks for: same provider, {@code model}, {@code url} and
     * ownership marker. Other keys are ignored, so what an AIDB build adds to a model's options never looks like drift.
     */
    public static boolean upToDate(DesiredModel desired, String provider, JsonNode config) {
        JsonNode wanted = desired.config();
        return desired.provider().equals(provider)
                && wanted.path("model").equals(config.path("model"))
                && wanted.path("url").equals(config.path("url"))
                && wanted.path(MARKER).equals(config.path(MARKER));
    }

    /** Whether a model's config carries Modelgate's ownership marker. */
    public static boolean owned(JsonNode config) {
        JsonNode marker = config == null ? null : config.get(MARKER);
        return marker != null && marker.path("owned").asBoolean(false);
    }
}
