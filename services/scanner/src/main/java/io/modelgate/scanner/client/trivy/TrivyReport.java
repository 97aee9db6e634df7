package io.modelgate.scanner.client.trivy;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The parts of a Trivy JSON report ({@code SchemaVersion} 2) the scanner uses; everything else in the report is
 * ignored, so new Trivy fields never break parsing.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record TrivyReport(@JsonProperty("SchemaVersion") int schemaVersion,
        @JsonProperty("ArtifactName") String artifactName, @JsonProperty("ArtifactType") String artifactType,
        @JsonProperty("Results") List<Result> results) {

    public TrivyReport {
        results = results == null ? List.of() : List.copyOf(results);
    }

    /** One scanned target: an OS package database, a lock file, a file with secrets. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Result(@JsonProperty("Target") String target, @JsonProperty("Class") String resultClass,
            @JsonProperty("Type") String type, @JsonProperty("Vulnerabilities") List<Vulnerability> vulnerabilities,
            @JsonProperty("Secrets") List<Secret> secrets,
            @JsonProperty("Misconfigurations") List<Misconfiguration> misconfigurations) {

        public Result {
            vulnerabilities = vulnerabilities == null ? List.of() : List.copyOf(vulnerabilities);
            secrets = secrets == null ? List.of() : List.copyOf(secrets);
            misconfigurations = misconfigurations == null ? List.of() : List.copyOf(misconfigurations);
        }
    }

    /** A vulnerable package. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Vulnerability(@JsonProperty("VulnerabilityID") String vulnerabilityId,
            @JsonProperty("PkgName") String pkgName, @JsonProperty("InstalledVersion") String installedVersion,
            @JsonProperty("FixedVersion") String fixedVersion, @JsonProperty("Severity") String severity,
            @JsonProperty("Status") String status, @JsonProperty("Title") String title,
            @JsonProperty("CVSS") Map<String, Cvss> cvss) {

        public Vulnerability {
            cvss = cvss == null ? Map.of() : Map.copyOf(cvss);
        }

        /** Whether a fixed version exists. */
        public boolean fixable() {
            return fixedVersion != null && !fixedVersion.isBlank();
        }

        /**
         * The highest CVSS v4.0 or v3 base score any source gives, else the highest v2 score; null when no source
         * scores it. The highest, because the policy must fail closed when sources disagree.
         */
        public Double score() {
            Double best = null;
            for (Cvss c : cvss.values()) {
                best = max(best, max(c.v40Score(), c.v3Score()));
            }
            if (best == null) {
                for (Cvss c : cvss.values()) {
                    best = max(best, c.v2Score());
                }
            }
            return best;
        }

        private static Double max(Double a, Double b) {
            if (a == null) {
                return b;
            }
            return b == null ? a : Math.max(a, b);
        }
    }

    /** CVSS scores from one source (nvd, redhat, ghsa…). */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Cvss(@JsonProperty("V2Score") Double v2Score, @JsonProperty("V3Score") Double v3Score,
            @JsonProperty("V40Score") Double v40Score) {
    }

    /** A secret found in a file; Trivy masks the secret itself in the report. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Secret(@JsonProperty("RuleID") String ruleId, @JsonProperty("Category") String category,
            @JsonProperty("Severity") String severity, @JsonProperty("Title") String title,
            @JsonProperty("StartLine") int startLine) {
    }

    /** A failed or passed configuration check. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Misconfiguration(@JsonProperty("ID") String id, @JsonProperty("AVDID") String avdId,
            @JsonProperty("Title") String title, @JsonProperty("Severity") String severity,
            @JsonProperty("Status") String status) {
    }
}
