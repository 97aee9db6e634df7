package io.modelgate.approval.domain;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiPredicate;
import java.util.regex.Pattern;

import io.modelgate.events.Verdict;
import io.modelgate.platform.problem.Problem;
import io.modelgate.platform.security.Roles;

/**
 * Validates approval policies and evaluates them against a scanned version: ordered rules, first match wins, then the
 * default outcome. A scan verdict of ERROR never auto-approves: validation refuses any rule that could, and the
 * evaluator skips such a rule should one exist.
 */
public final class PolicyEngine {

    /** The outcome a policy rule applies to a version, with the rule's name for the audit trail. */
    public record Evaluation(String rule, PolicyOutcome outcome, RescanFailureAction onRescanFailure) {
    }

    /**
     * Decides when no policy is active: people approve what passed, everything else is refused. Safe by default; an
     * administrator activates a policy to change it.
     */
    public static final String BUILT_IN = "built-in";

    static final List<PolicyRule> BUILT_IN_RULES = List.of(new PolicyRule("passed-scan",
            new PolicyCondition(List.of("PASS"), null, null, null, null, null, null, null, null, null),
            new PolicyOutcome(OutcomeAction.REQUIRE_APPROVALS, 1, Roles.APPROVER)));

    static final PolicyOutcome BUILT_IN_DEFAULT = new PolicyOutcome(OutcomeAction.REJECT, null, null);

    /** Metadata a rule may require, by the name the API uses, and whether a version has it. */
    static final Map<String, BiPredicate<Model, ModelVersion>> METADATA = Map.ofEntries(
            Map.entry("publisher", (m, v) -> m.publisher != null),
            Map.entry("description", (m, v) -> m.description != null),
            Map.entry("functionTypes", (m, v) -> !m.functionTypes().isEmpty()),
            Map.entry("parameterCount", (m, v) -> v.parameterCount != null),
            Map.entry("contextLength", (m, v) -> v.contextLength != null),
            Map.entry("dtype", (m, v) -> v.dtype != null),
            Map.entry("quantization", (m, v) -> v.quantization != null),
            Map.entry("license", (m, v) -> v.license != null),
            Map.entry("performance", (m, v) -> !v.performance.isEmpty()),
            Map.entry("gpuCount", (m, v) -> v.gpuCount != null),
            Map.entry("gpuType", (m, v) -> v.gpuType != null),
            Map.entry("gpuMemory", (m, v) -> v.gpuMemory != null),
            Map.entry("cpu", (m, v) -> v.cpu != null),
            Map.entry("memory", (m, v) -> v.memory != null));

    /** Roles an approval may be required from. */
    static final Set<String> APPROVAL_ROLES = Set.of(Roles.APPROVER, Roles.ADMIN);

    static final int MAX_APPROVALS = 10;

    private PolicyEngine() {
    }

    /** Every problem of a policy's rules and default outcome, each naming its field; empty when valid. */
    public static List<Problem.FieldError> validate(List<PolicyRule> rules, PolicyOutcome defaultOutcome) {
        List<Problem.FieldError> errors = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < rules.size(); i++) {
            String at = "rules[" + i + "]";
            PolicyRule rule = rules.get(i);
            if (rule == null) {
                errors.add(new Problem.FieldError(at, "must not be null"));
                continue;
            }
            if (rule.name() == null || rule.name().isBlank() || rule.name().length() > 128) {
                errors.add(new Problem.FieldError(at + ".name", "must be 1 to 128 characters"));
            } else if (!names.add(rule.name())) {
                errors.add(new Problem.FieldError(at + ".name", "'" + rule.name() + "' is used by an earlier rule"));
            }
            validateCondition(rule.when(), at + ".when", errors);
            validateOutcome(rule.outcome(), at + ".outcome", errors);
            if (rule.outcome() != null && rule.outcome().action() == OutcomeAction.AUTO_APPROVE
                    && mayMatchError(rule.when())) {
                errors.add(new Problem.FieldError(at + ".when.verdicts",
                        "an AUTO_APPROVE rule must list its verdicts and not include ERROR: a scan that could not"
                                + " complete never auto-approves"));
            }
        }
        validateOutcome(defaultOutcome, "defaultOutcome", errors);
        if (defaultOutcome != null && defaultOutcome.action() == OutcomeAction.AUTO_APPROVE) {
            errors.add(new Problem.FieldError("defaultOutcome.action",
                    "the default outcome matches every verdict, ERROR included, so it cannot be AUTO_APPROVE"));
        }
        return errors;
    }

    private static boolean mayMatchError(PolicyCondition when) {
        return when == null || when.verdicts() == null || when.verdicts().isEmpty()
                || when.verdicts().stream().anyMatch(v -> "ERROR".equalsIgnoreCase(String.valueOf(v)));
    }

    private static void validateCondition(PolicyCondition when, String at, List<Problem.FieldError> errors) {
        if (when == null) {
            return;
        }
        if (when.verdicts() != null) {
            for (String verdict : when.verdicts()) {
                if (verdict == null || !Set.of("PASS", "FAIL", "ERROR").contains(verdict)) {
                    errors.add(new Problem.FieldError(at + ".verdicts",
                            "'" + verdict + "' is not a verdict (PASS, FAIL, ERROR)"));
                }
            }
        }
        nonNegative(when.maxCritical(), at + ".maxCritical", errors);
        nonNegative(when.maxHigh(), at + ".maxHigh", errors);
        nonNegative(when.maxMedium(), at + ".maxMedium", errors);
        nonNegative(when.maxLow(), at + ".maxLow", errors);
        nonNegative(when.maxSecrets(), at + ".maxSecrets", errors);
        glob(when.registry(), at + ".registry", errors);
        glob(when.repository(), at + ".repository", errors);
        if (when.licenses() != null && when.licenses().stream().anyMatch(l -> l == null || l.isBlank())) {
            errors.add(new Problem.FieldError(at + ".licenses", "must not contain blank licenses"));
        }
        if (when.requiredMetadata() != null) {
            for (String field : when.requiredMetadata()) {
                if (field == null || !METADATA.containsKey(field)) {
                    errors.add(new Problem.FieldError(at + ".requiredMetadata",
                            "'" + field + "' is not a metadata field; one of " + METADATA.keySet()
                                    .stream()
                                    .sorted()
                                    .toList()));
                }
            }
        }
    }

    private static void validateOutcome(PolicyOutcome outcome, String at, List<Problem.FieldError> errors) {
        if (outcome == null || outcome.action() == null) {
            errors.add(new Problem.FieldError(at + ".action", "must be AUTO_APPROVE, REQUIRE_APPROVALS or REJECT"));
            return;
        }
        if (outcome.action() == OutcomeAction.REQUIRE_APPROVALS) {
            if (outcome.approvals() == null || outcome.approvals() < 1 || outcome.approvals() > MAX_APPROVALS) {
                errors.add(new Problem.FieldError(at + ".approvals",
                        "REQUIRE_APPROVALS needs 1 to " + MAX_APPROVALS + " approvals"));
            }
            if (outcome.role() != null && !APPROVAL_ROLES.contains(outcome.role())) {
                errors.add(new Problem.FieldError(at + ".role", "must be one of " + APPROVAL_ROLES.stream()
                        .sorted()
                        .toList()));
            }
        } else if (outcome.approvals() != null || outcome.role() != null) {
            errors.add(new Problem.FieldError(at, "approvals and role apply only to REQUIRE_APPROVALS"));
        }
    }

    private static void nonNegative(Integer value, String at, List<Problem.FieldError> errors) {
        if (value != null && value < 0) {
            errors.add(new Problem.FieldError(at, "must not be negative"));
        }
    }

    private static void glob(String pattern, String at, List<Problem.FieldError> errors) {
        if (pattern != null && (pattern.isBlank() || pattern.length() > 255)) {
            errors.add(new Problem.FieldError(at, "must be a glob of 1 to 255 characters"));
        }
    }

    /** The outcome of {@code policy} (the built-in one when null) for a version with a recorded scan. */
    public static Evaluation evaluate(ApprovalPolicy policy, Model model, ModelVersion version) {
        String policyName = policy == null ? BUILT_IN : policy.name;
        List<PolicyRule> rules = policy == null ? BUILT_IN_RULES : policy.rules;
        RescanFailureAction onRescanFailure = policy == null ? RescanFailureAction.REVOKE : policy.onRescanFailure;
        for (PolicyRule rule : rules) {
            boolean autoApprove = rule.outcome().action() == OutcomeAction.AUTO_APPROVE;
            if (autoApprove && version.scanVerdict == Verdict.ERROR) {
                continue;
            }
            if (matches(rule.when(), model, version)) {
                return new Evaluation(policyName + "/" + rule.name(), normalized(rule.outcome()), onRescanFailure);
            }
        }
        PolicyOutcome fallback = policy == null ? BUILT_IN_DEFAULT : policy.defaultOutcome;
        return new Evaluation(policyName + "/default", normalized(fallback), onRescanFailure);
    }

    private static PolicyOutcome normalized(PolicyOutcome outcome) {
        if (outcome.action() == OutcomeAction.REQUIRE_APPROVALS && outcome.role() == null) {
            return new PolicyOutcome(outcome.action(), outcome.approvals(), Roles.APPROVER);
        }
        return outcome;
    }

    static boolean matches(PolicyCondition when, Model model, ModelVersion version) {
        if (when == null) {
            return true;
        }
        if (when.verdicts() != null && !when.verdicts().isEmpty()
                && !when.verdicts().contains(version.scanVerdict.name())) {
            return false;
        }
        if (exceeds(version.scanCritical, when.maxCritical()) || exceeds(version.scanHigh, when.maxHigh())
                || exceeds(version.scanMedium, when.maxMedium()) || exceeds(version.scanLow, when.maxLow())
                || exceeds(version.scanSecrets, when.maxSecrets())) {
            return false;
        }
        if (!globMatches(when.registry(), version.registry) || !globMatches(when.repository(), version.repository)) {
            return false;
        }
        if (when.licenses() != null && !when.licenses().isEmpty() && (version.license == null
                || when.licenses().stream().noneMatch(version.license::equalsIgnoreCase))) {
            return false;
        }
        if (when.requiredMetadata() != null) {
            for (String field : when.requiredMetadata()) {
                if (!METADATA.get(field).test(model, version)) {
                    return false;
                }
            }
        }
        return true;
    }

    private static boolean exceeds(Integer count, Integer max) {
        return max != null && count != null && count > max;
    }

    /** {@code *} matches any run of characters, everything else literally, ignoring case. */
    static boolean globMatches(String glob, String value) {
        if (glob == null) {
            return true;
        }
        return GLOBS.computeIfAbsent(glob, PolicyEngine::compileGlob).matcher(value).matches();
    }

    /**
     * Compiled globs of the policies evaluated so far: every scan evaluates the same few, and compiling them each time
     * was a measurable share of a scan's cost. Bounded, as policies are edited over the service's life.
     */
    private static final Map<String, Pattern> GLOBS = Collections.synchronizedMap(
            new LinkedHashMap<>(64, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Pattern> eldest) {
                    return size() > 1_000;
                }
            });

    private static Pattern compileGlob(String glob) {
        StringBuilder regex = new StringBuilder();
        for (String part : glob.split("\\*", -1)) {
            if (!regex.isEmpty()) {
                regex.append(".*");
            }
            regex.append(Pattern.quote(part));
        }
        return Pattern.compile(regex.toString(), Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
    }
}
