package io.modelgate.approval.domain;

/**
 * One ordered rule of an approval policy.
 *
 * @param name unique within the policy; recorded with every decision it makes
 * @param when the conditions; null matches every version
 * @param outcome what happens when it matches
 */
public record PolicyRule(String name, PolicyCondition when, PolicyOutcome outcome) {
}
