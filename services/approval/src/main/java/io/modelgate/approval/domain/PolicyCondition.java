package io.modelgate.approval.domain;

import java.util.List;

/**
 * When a policy rule matches; every condition given must hold, an absent one always holds.
 *
 * @param verdicts scan verdicts the rule applies to
 * @param maxCritical most critical vulnerabilities allowed
 * @param maxHigh most high vulnerabilities allowed
 * @param maxMedium most medium vulnerabilities allowed
 * @param maxLow most low vulnerabilities allowed
 * @param maxSecrets most secrets allowed
 * @param registry glob ({@code *} matches anything) on the source registry
 * @param repository glob on the repository path
 * @param licenses license allowlist: the version's license must be one of these (case-insensitive)
 * @param requiredMetadata metadata fields that must be set, named as in the API (e.g. {@code license})
 */
public record PolicyCondition(List<String> verdicts, Integer maxCritical, Integer maxHigh, Integer maxMedium,
        Integer maxLow, Integer maxSecrets, String registry, String repository, List<String> licenses,
        List<String> requiredMetadata) {
}
