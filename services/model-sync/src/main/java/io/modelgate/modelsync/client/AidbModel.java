package io.modelgate.modelsync.client;

import com.fasterxml.jackson.databind.JsonNode;

/** A row of a target's {@code aidb.models}: name, provider and the model's config. */
public record AidbModel(String name, String provider, JsonNode config) {
}
