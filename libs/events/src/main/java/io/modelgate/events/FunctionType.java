package io.modelgate.events;

import com.fasterxml.jackson.annotation.JsonEnumDefaultValue;

/** What a model does, i.e. which OpenAI-style endpoint it serves; set in approval, used by serving and model-sync. */
public enum FunctionType {
    CHAT, COMPLETION, EMBEDDING, RERANK, OCR, IMAGE_EMBEDDING,
    /** Read in place of a value added by a newer producer, so an older consumer keeps working. */
    @JsonEnumDefaultValue
    UNKNOWN
}
