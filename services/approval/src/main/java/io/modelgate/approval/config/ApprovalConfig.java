package io.modelgate.approval.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Settings of the approval service ({@code modelgate.approval.*}). */
@ConfigMapping(prefix = "modelgate.approval")
public interface ApprovalConfig {

    /** Largest page the browse and audit APIs return; a larger {@code size} is refused. */
    @WithDefault("200")
    int maxPageSize();
}
