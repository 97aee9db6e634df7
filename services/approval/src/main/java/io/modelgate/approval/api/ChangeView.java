package io.modelgate.approval.api;

import java.time.Instant;
import java.util.UUID;

import io.modelgate.approval.domain.MetadataChange;

/** One metadata field changed by an administrator. */
public record ChangeView(UUID id, UUID modelId, UUID versionId, String field, String oldValue, String newValue,
        String changedBy, Instant changedAt, String comment) {

    static ChangeView of(MetadataChange c) {
        return new ChangeView(c.id, c.modelId, c.versionId, c.field, c.oldValue, c.newValue, c.changedBy, c.changedAt,
                c.comment);
    }
}
