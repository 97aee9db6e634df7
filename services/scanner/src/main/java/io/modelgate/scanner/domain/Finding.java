package io.modelgate.scanner.domain;

import java.util.ArrayList;
import java.util.List;

import io.modelgate.scanner.client.trivy.TrivyReport;

/**
 * One finding of a scan, in the scanner's own terms; a secret's finding names its rule and place, never its content.
 *
 * @param kind vulnerability, secret or misconfiguration
 * @param id CVE (or GHSA…) id, secret rule id, or check id
 * @param target the file or package database it was found in
 * @param pkgName vulnerable package; null for the other kinds
 * @param installedVersion installed version of the package
 * @param fixedVersion version that fixes it; null when there is none
 * @param severity as Trivy rated it
 * @param cvss the highest CVSS score any source gives; null if none
 * @param status Trivy's status (fixed, affected, will_not_fix…), or a misconfiguration's FAIL
 * @param title short description
 */
public record Finding(FindingKind kind, String id, String target, String pkgName, String installedVersion,
        String fixedVersion, Severity severity, Double cvss, String status, String title) {

    /** Whether a fixed version exists. */
    public boolean fixable() {
        return fixedVersion != null && !fixedVersion.isBlank();
    }

    /** The findings of a report: every vulnerability and secret, and the failed configuration checks. */
    public static List<Finding> of(TrivyReport report) {
        List<Finding> findings = new ArrayList<>();
        for (TrivyReport.Result result : report.results()) {
            for (TrivyReport.Vulnerability v : result.vulnerabilities()) {
                findings.add(new Finding(FindingKind.VULNERABILITY, v.vulnerabilityId(), result.target(), v.pkgName(),
                        v.installedVersion(), v.fixable() ? v.fixedVersion() : null, Severity.fromTrivy(v.severity()),
                        v.score(), v.status(), v.title()));
            }
            for (TrivyReport.Secret s : result.secrets()) {
                findings.add(new Finding(FindingKind.SECRET, s.ruleId(), result.target() + ":" + s.startLine(), null,
                        null, null, Severity.fromTrivy(s.severity()), null, null, s.title()));
            }
            for (TrivyReport.Misconfiguration m : result.misconfigurations()) {
                if ("FAIL".equalsIgnoreCase(m.status())) {
                    findings.add(new Finding(FindingKind.MISCONFIGURATION, m.avdId() != null ? m.avdId() : m.id(),
                            result.target(), null, null, null, Severity.fromTrivy(m.severity()), null, m.status(),
                            m.title()));
                }
            }
        }
        return findings;
    }
}
