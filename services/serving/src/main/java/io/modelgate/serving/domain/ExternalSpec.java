package io.modelgate.serving.domain;

import java.util.List;

import io.modelgate.events.FunctionType;

/**
 * An external inference service as registered, without its credential (which goes straight to a Secret).
 *
 * @param provider {@code openai}, {@code bedrock}, {@code nim} or {@code openai-compatible}
 * @param endpointUrl the provider's OpenAI-compatible base URL, up to {@code /v1}
 */
public record ExternalSpec(String provider, String endpointUrl, String modelName, String apiVersion,
        List<FunctionType> functionTypes, String visibility) {
}
