package io.modelgate.scanner.domain;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.junit.jupiter.api.Test;

import io.modelgate.scanner.client.trivy.TrivyStandInResource;
import io.modelgate.testing.ModelgateTestResources;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The scanner's domain metrics as Prometheus scrapes them from {@code /q/metrics}. */
@QuarkusTest
@QuarkusTestResource(ModelgateTestResources.class)
@QuarkusTestResource(TrivyStandInResource.class)
class ScanMetricsTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void verdictsDurationsAndTheQueueAreExported() {
        double passed = value(metrics(), "modelgate_scanner_scans_total", "verdict", "PASS");
        double failed = value(metrics(), "modelgate_scanner_scans_total", "verdict", "FAIL");
        double timedFails = value(metrics(), "modelgate_scanner_scan_duration_seconds_count", "verdict", "FAIL");

        // alpine-310 passes, debian-buster fails (a critical CVE) under the default policy.
        ScanPipelineTest.awaitScanCompleted(ScanPipelineTest.discover("registry.example.com", "models/alpine-310"),
                e -> true);
        ScanPipelineTest.awaitScanCompleted(
                ScanPipelineTest.discover("registry.example.com", "models/debian-buster"), e -> true);

        // Counted after the commit that also queued the event, so the figure can trail the event by a moment.
        await().atMost(WAIT).untilAsserted(() -> {
            String text = metrics();
            assertThat(value(text, "modelgate_scanner_scans_total", "verdict", "PASS")).isGreaterThanOrEqualTo(
                    passed + 1);
            assertThat(value(text, "modelgate_scanner_scans_total", "verdict", "FAIL")).isGreaterThanOrEqualTo(
                    failed + 1);
            assertThat(value(text, "modelgate_scanner_scan_duration_seconds_count", "verdict", "FAIL"))
                    .isGreaterThanOrEqualTo(timedFails + 1);
        });
        String text = metrics();
        // Every verdict is exported from the start, ERROR included, so rate() has a series before the first one
        // (value() fails when a series is missing).
        value(text, "modelgate_scanner_scans_total", "verdict", "ERROR");
        assertThat(text).containsPattern("modelgate_scanner_scan_duration_seconds_bucket\\{[^}]*le=\"60\\.0\"");
        // The queue gauges count the database (cached for a few seconds): both scans are done, nothing waits.
        await().atMost(WAIT).untilAsserted(() -> {
            String now = metrics();
            assertThat(value(now, "modelgate_scanner_queue_depth", "status", "QUEUED")).isEqualTo(queued("QUEUED"));
            assertThat(value(now, "modelgate_scanner_queue_depth", "status", "RUNNING"))
                    .isEqualTo(queued("RUNNING"));
        });
    }

    @Inject
    EntityManager entityManager;

    private double queued(String status) {
        return QuarkusTransaction.requiringNew()
                .call(() -> ((Number) entityManager
                        .createNativeQuery("select count(*) from image_scan where status = ?1")
                        .setParameter(1, status)
                        .getSingleResult()).doubleValue());
    }

    private static String metrics() {
        return given().get("/q/metrics").then().statusCode(200).extract().asString();
    }

    /** The value of the series {@code name} whose {@code tag} is {@code value}; fails when there is none. */
    static double value(String metrics, String name, String tag, String value) {
        Matcher matcher = Pattern.compile("(?m)^" + Pattern.quote(name) + "\\{([^}]*)\\} (\\S+)").matcher(metrics);
        while (matcher.find()) {
            if (matcher.group(1).contains(tag + "=\"" + value + "\"")) {
                return Double.parseDouble(matcher.group(2));
            }
        }
        throw new AssertionError("No series " + name + "{" + tag + "=\"" + value + "\"} in /q/metrics");
    }
}
