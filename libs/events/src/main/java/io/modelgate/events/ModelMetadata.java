package io.modelgate.events;

import java.util.Map;

/**
 * Descriptive facts about a model version, curated in approval and passed on so serving can size the
 * deployment and model-sync can describe the model in AIDB; every field is optional.
 *
 * @param parameterCount number of parameters, e.g. 8030000000
 * @param contextLength maximum context length in tokens
 * @param dtype weight data type, e.g. {@code bfloat16}
 * @param quantization e.g. {@code awq}, {@code fp8}; null when not quantized
 * @param license SPDX id or license name
 * @param performance free-form benchmark figures, e.g. {@code tokensPerSecond -> 1450}
 */
public record ModelMetadata(Long parameterCount, Integer contextLength, String dtype, String quantization,
        String license, Map<String, String> performance) {

    public ModelMetadata {
        performance = Values.map(performance);
    }
}
