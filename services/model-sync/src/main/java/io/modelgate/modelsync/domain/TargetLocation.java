package io.modelgate.modelsync.domain;

/** Where a target database runs relative to the platform's proxy, which runs on the primary location. */
public enum TargetLocation {
    PRIMARY, SECONDARY
}
