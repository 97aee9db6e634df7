package io.modelgate.modelsync.domain;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** A model as it must appear in every reachable target's {@code aidb.models}. */
public record DesiredModel(String name, String provider, ObjectNode config, String serviceId) {
}
