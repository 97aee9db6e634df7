package io.modelgate.modelsync.domain;

/**
 * What an administrator sets on a target. A null password on update keeps the stored one; an empty one removes it.
 */
public record TargetSettings(String name, String jdbcUrl, String username, String password, TargetLocation location,
        boolean reachable, boolean enabled) {
}
