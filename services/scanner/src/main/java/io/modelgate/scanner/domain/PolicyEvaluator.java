package io.modelgate.scanner.domain;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import io.modelgate.events.Verdict;

/**
 * Judges a scan's findings against the policy: PASS or FAIL, with one reason per CVE that fails the scan (all its
 * packages in one line), one per secret, and one per exception that kept a CVE from failing it. Pure: no I/O.
 */
public final class PolicyEvaluator {

    private PolicyEvaluator() {
    }

    /** A verdict and why. */
    public record Evaluation(Verdict verdict, List<String> reasons) {
    }

    /**
     * Judges {@code findings} of {@code digest}; a repository-scoped exception counts when any repository the digest
     * was discovered in ({@code repositories}) matches it.
     */
    public static Evaluation evaluate(ScanPolicy policy, List<PolicyException> exceptions,
            Collection<String> repositories, String digest, List<Finding> findings, Instant now) {
        List<String> failures = new ArrayList<>();
        List<String> excepted = new ArrayList<>();
        Map<String, List<Finding>> byCve = new LinkedHashMap<>();
        for (Finding f : findings) {
            if (f.kind() == FindingKind.VULNERABILITY && !(policy.ignoreUnfixed && !f.fixable())) {
                byCve.computeIfAbsent(f.id(), id -> new ArrayList<>()).add(f);
            }
        }
        for (Map.Entry<String, List<Finding>> cve : byCve.entrySet()) {
            List<String> causes = causes(policy, cve.getValue());
            if (causes.isEmpty()) {
                continue;
            }
            Optional<PolicyException> exception = exceptions.stream()
                    .filter(e -> e.activeAt(now)
                            && repositories.stream().anyMatch(r -> e.covers(cve.getKey(), r, digest)))
                    .findFirst();
            if (exception.isPresent()) {
                PolicyException e = exception.get();
                excepted.add(cve.getKey() + " accepted by exception for "
                        + (e.digest != null ? "digest " + e.digest : "repositories " + e.repositoryPattern)
                        + " until " + e.expiresAt + " (owner " + e.owner + ": " + e.reason + ")");
            } else {
                failures.add(describe(cve.getKey(), cve.getValue()) + ": " + String.join(" and ", causes));
            }
        }
        if (policy.secretsFail) {
            for (Finding f : findings) {
                if (f.kind() == FindingKind.SECRET) {
                    failures.add("secret " + f.id() + " (" + f.severity() + ") in " + f.target());
                }
            }
        }
        List<String> reasons = new ArrayList<>(failures);
        reasons.addAll(excepted);
        return new Evaluation(failures.isEmpty() ? Verdict.PASS : Verdict.FAIL, reasons);
    }

    private static List<String> causes(ScanPolicy policy, List<Finding> findings) {
        List<String> causes = new ArrayList<>();
        Severity worst = findings.stream().map(Finding::severity).max(Enum::compareTo).orElseThrow();
        if (worst.compareTo(policy.maxSeverity) > 0) {
            causes.add("severity " + worst + " above the allowed " + policy.maxSeverity);
        }
        Double score = findings.stream().map(Finding::cvss).filter(s -> s != null).max(Double::compare).orElse(null);
        if (policy.cvssThreshold != null && score != null
                && BigDecimal.valueOf(score).compareTo(policy.cvssThreshold) >= 0) {
            causes.add("CVSS " + score + " at or above the threshold " + policy.cvssThreshold);
        }
        return causes;
    }

    private static String describe(String cve, List<Finding> findings) {
        String packages = findings.stream()
                .map(f -> f.pkgName() + " " + f.installedVersion() + " ("
                        + (f.fixable() ? "fixed in " + f.fixedVersion() : "no fix") + ")")
                .distinct()
                .collect(Collectors.joining(", "));
        return cve + " in " + packages;
    }
}
