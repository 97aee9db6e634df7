package io.modelgate.scanner.domain;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.modelgate.events.Verdict;
import io.modelgate.scanner.client.trivy.TrivyException;
import io.modelgate.scanner.client.trivy.TrivyReportParser;
import io.modelgate.scanner.client.trivy.TrivyStandIn;

import static org.assertj.core.api.Assertions.assertThat;

class PolicyEvaluatorTest {

    private static final Instant NOW = Instant.parse("2026-11-25T01:00:00Z");
    private static final String DIGEST = "sha256:" + "cd".repeat(32);

    private static List<Finding> findings(String fixture) throws TrivyException {
        return Finding.of(TrivyReportParser.parse(TrivyStandIn.fixture(fixture)));
    }

    private static ScanPolicy policy(Severity max, boolean ignoreUnfixed, String cvss, boolean secretsFail) {
        ScanPolicy policy = new ScanPolicy();
        policy.maxSeverity = max;
        policy.ignoreUnfixed = ignoreUnfixed;
        policy.cvssThreshold = cvss == null ? null : new BigDecimal(cvss);
        policy.secretsFail = secretsFail;
        return policy;
    }

    private static PolicyException exception(String cve, String pattern, String digest, Instant expiresAt) {
        PolicyException e = new PolicyException();
        e.id = UUID.randomUUID();
        e.cveId = cve;
        e.repositoryPattern = pattern;
        e.digest = digest;
        e.reason = "not reachable in model serving";
        e.owner = "ml-platform";
        e.expiresAt = expiresAt;
        return e;
    }

    @Test
    void aCriticalAboveTheAllowedSeverityFailsNamingTheCve() throws TrivyException {
        PolicyEvaluator.Evaluation result = PolicyEvaluator.evaluate(policy(Severity.HIGH, false, null, true),
                List.of(), List.of("models/debian"), DIGEST, findings("debian-buster"), NOW);
        assertThat(result.verdict()).isEqualTo(Verdict.FAIL);
        assertThat(result.reasons()).containsExactly(
                "CVE-2019-18224 in libidn2-0 2.0.5-1 (fixed in 2.0.5-1+deb10u1): severity CRITICAL above the allowed HIGH");
    }

    @Test
    void withinTheAllowedSeverityPasses() throws TrivyException {
        PolicyEvaluator.Evaluation result = PolicyEvaluator.evaluate(policy(Severity.HIGH, false, null, true),
                List.of(), List.of("models/alpine"), DIGEST, findings("alpine-310"), NOW);
        assertThat(result.verdict()).isEqualTo(Verdict.PASS);
        assertThat(result.reasons()).isEmpty();
    }

    @Test
    void oneReasonPerCveListingEveryPackage() throws TrivyException {
        PolicyEvaluator.Evaluation result = PolicyEvaluator.evaluate(policy(Severity.LOW, false, null, true),
                List.of(), List.of("models/alpine"), DIGEST, findings("alpine-310"), NOW);
        assertThat(result.verdict()).isEqualTo(Verdict.FAIL);
        assertThat(result.reasons()).hasSize(2);
        assertThat(result.reasons().get(0)).startsWith("CVE-2019-1549 in libcrypto1.1 1.1.1c-r0")
                .contains("libssl1.1 1.1.1c-r0")
                .endsWith("severity MEDIUM above the allowed LOW");
    }

    @Test
    void ignoreUnfixedLeavesOutVulnerabilitiesWithoutAFix() throws TrivyException {
        // centos-7: bash CVE-2019-18276 is LOW with no fix (will_not_fix); the openssl ones are fixed.
        ScanPolicy strict = policy(Severity.UNKNOWN, false, null, true);
        assertThat(
                PolicyEvaluator.evaluate(strict, List.of(), List.of("m"), DIGEST, findings("centos-7"), NOW).reasons())
                .anyMatch(r -> r.startsWith("CVE-2019-18276"));
        ScanPolicy ignoring = policy(Severity.UNKNOWN, true, null, true);
        assertThat(PolicyEvaluator.evaluate(ignoring, List.of(), List.of("m"), DIGEST, findings("centos-7"), NOW)
                .reasons())
                .noneMatch(r -> r.startsWith("CVE-2019-18276"))
                .anyMatch(r -> r.startsWith("CVE-2019-1559"));
    }

    @Test
    void theCvssThresholdFailsWhateverTheSeverity() throws TrivyException {
        // centos-7's bash CVE is only LOW but scored 7.8 by nvd.
        PolicyEvaluator.Evaluation result = PolicyEvaluator.evaluate(policy(Severity.CRITICAL, false, "7.0", true),
                List.of(), List.of("m"), DIGEST, findings("centos-7"), NOW);
        assertThat(result.verdict()).isEqualTo(Verdict.FAIL);
        assertThat(result.reasons()).containsExactly(
                "CVE-2019-18276 in bash 4.2.46-31.el7 (no fix): CVSS 7.8 at or above the threshold 7.0");
    }

    @Test
    void secretsFailUnlessThePolicyAllowsThem() throws TrivyException {
        PolicyEvaluator.Evaluation failing = PolicyEvaluator.evaluate(policy(Severity.CRITICAL, false, null, true),
                List.of(), List.of("m"), DIGEST, findings("secrets"), NOW);
        assertThat(failing.verdict()).isEqualTo(Verdict.FAIL);
        assertThat(failing.reasons()).containsExactly("secret aws-access-key-id (CRITICAL) in deploy.sh:3",
                "secret mysecret (HIGH) in deploy.sh:7");
        assertThat(
                PolicyEvaluator.evaluate(policy(Severity.CRITICAL, false, null, false), List.of(), List.of("m"), DIGEST,
                        findings("secrets"), NOW).verdict())
                .isEqualTo(Verdict.PASS);
    }

    @Test
    void anExceptionForTheDigestOrAMatchingRepositoryKeepsItsCveFromFailing() throws TrivyException {
        ScanPolicy policy = policy(Severity.HIGH, false, null, true);
        Instant later = NOW.plus(Duration.ofDays(30));
        for (PolicyException e : List.of(exception("CVE-2019-18224", null, DIGEST, later),
                exception("cve-2019-18224", "models/*", null, later))) {
            PolicyEvaluator.Evaluation result = PolicyEvaluator.evaluate(policy, List.of(e), List.of("models/debian"),
                    DIGEST,
                    findings("debian-buster"), NOW);
            assertThat(result.verdict()).isEqualTo(Verdict.PASS);
            assertThat(result.reasons()).singleElement()
                    .asString()
                    .startsWith("CVE-2019-18224 accepted by exception for ")
                    .contains("ml-platform", "not reachable in model serving", later.toString());
        }
    }

    @Test
    void anExceptionForAnotherScopeOrCveOrAnExpiredOneDoesNotCount() throws TrivyException {
        ScanPolicy policy = policy(Severity.HIGH, false, null, true);
        Instant later = NOW.plus(Duration.ofDays(30));
        for (PolicyException e : List.of(exception("CVE-2019-18224", null, "sha256:" + "ef".repeat(32), later),
                exception("CVE-2019-18224", "other/*", null, later),
                exception("CVE-2019-18224", "models/deb?an", null, NOW.minusSeconds(1)),
                exception("CVE-2019-18276", "models/*", null, later))) {
            assertThat(PolicyEvaluator.evaluate(policy, List.of(e), List.of("models/debian"), DIGEST,
                    findings("debian-buster"), NOW).verdict()).as(e.cveId + " " + e.repositoryPattern)
                    .isEqualTo(Verdict.FAIL);
        }
        assertThat(PolicyEvaluator.evaluate(policy,
                List.of(exception("CVE-2019-18224", "models/deb?an", null, later)), List.of("models/debian"), DIGEST,
                findings("debian-buster"), NOW).verdict()).isEqualTo(Verdict.PASS);
    }

    @Test
    void aRepositoryExceptionCountsWhenTheDigestWasDiscoveredInAnyMatchingRepository() throws TrivyException {
        ScanPolicy policy = policy(Severity.HIGH, false, null, true);
        PolicyException e = exception("CVE-2019-18224", "other/*", null, NOW.plus(Duration.ofDays(30)));
        assertThat(PolicyEvaluator.evaluate(policy, List.of(e), List.of("models/debian", "other/debian"), DIGEST,
                findings("debian-buster"), NOW).verdict()).isEqualTo(Verdict.PASS);
        assertThat(PolicyEvaluator.evaluate(policy, List.of(e), List.of("models/debian", "models/other"), DIGEST,
                findings("debian-buster"), NOW).verdict()).isEqualTo(Verdict.FAIL);
    }
}
