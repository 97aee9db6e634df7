package io.modelgate.approval.domain;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.modelgate.events.Verdict;
import io.modelgate.platform.security.Roles;

import static org.assertj.core.api.Assertions.assertThat;

class PolicyEngineTest {

    private static final PolicyOutcome AUTO = new PolicyOutcome(OutcomeAction.AUTO_APPROVE, null, null);
    private static final PolicyOutcome TWO = new PolicyOutcome(OutcomeAction.REQUIRE_APPROVALS, 2, null);
    private static final PolicyOutcome REJECT = new PolicyOutcome(OutcomeAction.REJECT, null, null);

    @Test
    void theFirstMatchingRuleDecidesThenTheDefault() {
        ApprovalPolicy policy = policy(List.of(
                new PolicyRule("trusted", when(List.of("PASS"), 0, "*.example.com", "models/*", List.of("MIT"),
                        List.of("license")), AUTO),
                new PolicyRule("passed", when(List.of("PASS"), null, null, null, null, null), TWO)));

        assertThat(PolicyEngine.evaluate(policy, new Model(), version(Verdict.PASS, 0, "r.example.com", "models/a",
                "mit")).rule()).isEqualTo("p/trusted");
        PolicyEngine.Evaluation untrusted = PolicyEngine.evaluate(policy, new Model(),
                version(Verdict.PASS, 0, "docker.io", "models/a", "mit"));
        assertThat(untrusted.rule()).isEqualTo("p/passed");
        assertThat(untrusted.outcome().role()).isEqualTo(Roles.APPROVER);
        assertThat(PolicyEngine.evaluate(policy, new Model(), version(Verdict.PASS, 1, "r.example.com", "models/a",
                "mit")).rule()).isEqualTo("p/passed");
        assertThat(PolicyEngine.evaluate(policy, new Model(), version(Verdict.PASS, 0, "r.example.com", "models/a",
                null)).rule()).isEqualTo("p/passed");
        assertThat(PolicyEngine.evaluate(policy, new Model(), version(Verdict.FAIL, 0, "r.example.com", "models/a",
                "mit")).outcome()).isEqualTo(REJECT);
    }

    @Test
    void anErrorVerdictSkipsAutoApprovingRulesEvenIfOneWasStored() {
        ApprovalPolicy policy = policy(List.of(new PolicyRule("sloppy", null, AUTO)));
        PolicyEngine.Evaluation evaluation = PolicyEngine.evaluate(policy, new Model(),
                version(Verdict.ERROR, 0, "r.example.com", "m", null));
        assertThat(evaluation.outcome().action()).isEqualTo(OutcomeAction.REJECT);
        assertThat(PolicyEngine.validate(policy.rules, REJECT)).extracting(e -> e.field())
                .containsExactly("rules[0].when.verdicts");
    }

    @Test
    void withoutAnActivePolicyPeopleApproveWhatPassed() {
        assertThat(PolicyEngine.evaluate(null, new Model(), version(Verdict.PASS, 3, "r", "m", null)).outcome())
                .isEqualTo(new PolicyOutcome(OutcomeAction.REQUIRE_APPROVALS, 1, Roles.APPROVER));
        assertThat(PolicyEngine.evaluate(null, new Model(), version(Verdict.ERROR, 0, "r", "m", null))
                .outcome()
                .action()).isEqualTo(OutcomeAction.REJECT);
    }

    @Test
    void globsMatchWholeValuesIgnoringCase() {
        assertThat(PolicyEngine.globMatches("*.Example.com", "r.example.com")).isTrue();
        assertThat(PolicyEngine.globMatches("*.example.com", "example.com.evil.io")).isFalse();
        assertThat(PolicyEngine.globMatches("models/*", "models/a/b")).isTrue();
        assertThat(PolicyEngine.globMatches("models/a.b", "models/aXb")).isFalse();
    }

    private static PolicyCondition when(List<String> verdicts, Integer maxCritical, String registry,
            String repository, List<String> licenses, List<String> required) {
        return new PolicyCondition(verdicts, maxCritical, null, null, null, null, registry, repository, licenses,
                required);
    }

    private static ApprovalPolicy policy(List<PolicyRule> rules) {
        ApprovalPolicy policy = new ApprovalPolicy();
        policy.name = "p";
        policy.rules = rules;
        policy.defaultOutcome = REJECT;
        policy.onRescanFailure = RescanFailureAction.REVOKE;
        return policy;
    }

    private static ModelVersion version(Verdict verdict, int critical, String registry, String repository,
            String license) {
        ModelVersion version = new ModelVersion();
        version.scanVerdict = verdict;
        version.scanCritical = critical;
        version.scanHigh = 0;
        version.scanMedium = 0;
        version.scanLow = 0;
        version.scanSecrets = 0;
        version.registry = registry;
        version.repository = repository;
        version.license = license;
        version.performance = Map.of();
        return version;
    }
}
