package io.modelgate.scanner.client.trivy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TrivyReportParserTest {

    @Test
    void everyFixtureParses() throws TrivyException {
        for (String fixture : TrivyStandIn.FIXTURES) {
            TrivyReport report = TrivyReportParser.parse(TrivyStandIn.fixture(fixture));
            assertThat(report.schemaVersion()).as(fixture).isEqualTo(2);
            assertThat(report.results()).as(fixture).isNotEmpty();
        }
    }

    @Test
    void vulnerabilitiesCarryIdPackageVersionsSeverityCvssAndStatus() throws TrivyException {
        TrivyReport report = TrivyReportParser.parse(TrivyStandIn.fixture("debian-buster"));
        List<TrivyReport.Vulnerability> vulns = report.results()
                .stream()
                .flatMap(r -> r.vulnerabilities().stream())
                .toList();
        assertThat(vulns).extracting(TrivyReport.Vulnerability::vulnerabilityId)
                .containsExactly("CVE-2019-18276", "CVE-2019-18224");
        TrivyReport.Vulnerability libidn = vulns.get(1);
        assertThat(libidn.pkgName()).isEqualTo("libidn2-0");
        assertThat(libidn.installedVersion()).isEqualTo("2.0.5-1");
        assertThat(libidn.fixedVersion()).isEqualTo("2.0.5-1+deb10u1");
        assertThat(libidn.severity()).isEqualTo("CRITICAL");
        assertThat(libidn.status()).isEqualTo("fixed");
        assertThat(libidn.cvss()).containsKeys("nvd", "redhat");
        // The highest v3 score of any source: nvd's 9.8, not redhat's 5.6.
        assertThat(libidn.score()).isEqualTo(9.8);
        TrivyReport.Vulnerability bash = vulns.get(0);
        assertThat(bash.fixable()).isFalse();
        assertThat(bash.status()).isEqualTo("affected");
    }

    @Test
    void secretsAreRead() throws TrivyException {
        TrivyReport report = TrivyReportParser.parse(TrivyStandIn.fixture("secrets"));
        assertThat(report.results().get(0).secrets()).extracting(TrivyReport.Secret::ruleId)
                .containsExactly("aws-access-key-id", "mysecret");
        assertThat(report.results().get(0).secrets().get(0).startLine()).isEqualTo(3);
    }

    @Test
    void misconfigurationsAndUnknownFieldsAreRead() throws TrivyException {
        String json = """
                {"SchemaVersion": 2, "FieldFromTheFuture": {"x": 1}, "Results": [{"Target": "Dockerfile",
                  "Class": "config", "Type": "dockerfile", "NewThing": [1, 2],
                  "Misconfigurations": [{"ID": "DS002", "AVDID": "AVD-DS-0002", "Title": "Image user should not be 'root'",
                    "Severity": "HIGH", "Status": "FAIL", "CauseMetadata": {"Provider": "Dockerfile"}}]}]}
                """;
        TrivyReport report = TrivyReportParser.parse(json.getBytes(StandardCharsets.UTF_8));
        TrivyReport.Misconfiguration m = report.results().get(0).misconfigurations().get(0);
        assertThat(m.avdId()).isEqualTo("AVD-DS-0002");
        assertThat(m.severity()).isEqualTo("HIGH");
        assertThat(m.status()).isEqualTo("FAIL");
    }

    @Test
    void truncatedJsonIsRefusedWithTheReason() {
        byte[] whole = TrivyStandIn.fixture("alpine-310");
        assertThatThrownBy(() -> TrivyReportParser.parse(Arrays.copyOf(whole, 2000)))
                .isInstanceOf(TrivyException.class)
                .hasMessageStartingWith("Trivy printed an unreadable report");
    }

    @Test
    void garbageEmptyAndOtherSchemasAreRefused() {
        assertThatThrownBy(() -> TrivyReportParser.parse("<html>502</html>".getBytes()))
                .hasMessageStartingWith("Trivy printed an unreadable report");
        assertThatThrownBy(() -> TrivyReportParser.parse(new byte[0])).hasMessage("Trivy printed no report");
        assertThatThrownBy(() -> TrivyReportParser.parse("\n  \n".getBytes())).hasMessage("Trivy printed no report");
        assertThatThrownBy(() -> TrivyReportParser.parse("{\"SchemaVersion\": 1, \"Results\": []}".getBytes()))
                .hasMessageContaining("SchemaVersion 1");
        assertThatThrownBy(() -> TrivyReportParser.parse("{\"SchemaVersion\": 2} trailing".getBytes()))
                .isInstanceOf(TrivyException.class);
    }
}
