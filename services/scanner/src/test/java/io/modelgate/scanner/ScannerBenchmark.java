package io.modelgate.scanner;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.modelgate.events.ImageDescriptor;
import io.modelgate.platform.security.Roles;
import io.modelgate.scanner.client.trivy.RegistryCredentials;
import io.modelgate.scanner.client.trivy.TrivyClient;
import io.modelgate.scanner.client.trivy.TrivyReportParser;
import io.modelgate.scanner.client.trivy.TrivyStandIn;
import io.modelgate.scanner.client.trivy.TrivyStandInResource;
import io.modelgate.scanner.domain.ImageScan;
import io.modelgate.scanner.domain.ScanService;
import io.modelgate.scanner.domain.ScanStatus;
import io.modelgate.scanner.domain.ScanWorker;
import io.modelgate.scanner.domain.TrivyDatabase;
import io.modelgate.scanner.persistence.ImageScanRepository;
import io.modelgate.testing.ModelgateTestResources;
import io.modelgate.testing.OciImages;
import io.modelgate.testing.TestTokens;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Prints the scanner's figures (run with {@code bench.sh}): fixture reports parsed per second; the scanner's own work
 * around one scan with a 1 MB report (dequeue, process start, parse, persist, emit; the stand-in only prints the file);
 * and the answer time of a rescan served from cache. Asserts correctness only.
 */
@QuarkusTest
@QuarkusTestResource(ModelgateTestResources.class)
@QuarkusTestResource(TrivyStandInResource.class)
@TestProfile(ScannerBenchmark.DriveTheWorker.class)
class ScannerBenchmark {

    /** The benchmark claims scans itself, so the background workers are off. */
    public static class DriveTheWorker implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("modelgate.scanner.worker.enabled", "false", "quarkus.log.category.\"io.modelgate\".level",
                    "WARN");
        }
    }

    @ConfigProperty(name = "modelgate.scanner.trivy.path")
    Path trivy;

    @Inject
    ScanWorker worker;

    @Inject
    TrivyClient trivyClient;

    @Inject
    ImageScanRepository scans;

    @Inject
    ScanService service;

    @Inject
    TrivyDatabase database;

    private int bigVulnerabilities;

    @Test
    void figures() throws Exception {
        parseRate();
        Path big = bigReport();
        ownWorkAroundAScan(big);
        cacheHits();
    }

    private void parseRate() throws Exception {
        List<byte[]> reports = TrivyStandIn.FIXTURES.stream().map(TrivyStandIn::fixture).toList();
        int vulnerabilities = 0;
        for (int i = 0; i < 500; i++) {
            for (byte[] report : reports) {
                vulnerabilities += TrivyReportParser.parse(report).results().size();
            }
        }
        int rounds = 1000;
        long start = System.nanoTime();
        for (int i = 0; i < rounds; i++) {
            for (byte[] report : reports) {
                vulnerabilities += TrivyReportParser.parse(report).results().size();
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        assertThat(vulnerabilities).isPositive();
        System.out.printf("BENCH parse: %d fixture reports (%d files, %d-%d KB) in %.2f s = %.0f reports/s%n",
                rounds * reports.size(), reports.size(), reports.stream().mapToInt(r -> r.length).min().orElse(0)
                        / 1024,
                reports.stream().mapToInt(r -> r.length).max().orElse(0) / 1024, seconds,
                rounds * reports.size() / seconds);
    }

    /** alpine-310's vulnerabilities repeated under distinct ids until the report passes 1 MB. */
    private Path bigReport() throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode report = (ObjectNode) mapper.readTree(TrivyStandIn.fixture("alpine-310"));
        ArrayNode vulns = (ArrayNode) report.get("Results").get(0).get("Vulnerabilities");
        List<ObjectNode> originals = new ArrayList<>();
        vulns.forEach(v -> originals.add((ObjectNode) v));
        int n = 0;
        while (mapper.writeValueAsBytes(report).length < 1024 * 1024) {
            for (ObjectNode v : originals) {
                vulns.add(v.deepCopy().put("VulnerabilityID", "CVE-2099-" + (10000 + n++)));
            }
        }
        Path big = trivy.resolveSibling("reports/big.json");
        Files.write(big, mapper.writerWithDefaultPrettyPrinter().writeValueAsBytes(report));
        bigVulnerabilities = vulns.size();
        System.out.printf("BENCH report: %d KB, %d vulnerabilities%n", Files.size(big) / 1024, vulns.size());
        return big;
    }

    private void ownWorkAroundAScan(Path big) throws Exception {
        int warmup = 20;
        int runs = 200;
        // The stand-in alone: bash start and printing 1 MB, which real Trivy's own work replaces.
        long[] process = new long[runs];
        for (int i = -warmup; i < runs; i++) {
            String reference = ImageDescriptor.pinnedReference("registry.example.com", "models/big",
                    OciImages.digest(("p" + i).getBytes()));
            long start = System.nanoTime();
            TrivyClient.Scan scan = trivyClient.scan(reference, "registry.example.com", RegistryCredentials.none());
            if (i >= 0) {
                process[i] = System.nanoTime() - start;
            }
            assertThat(scan.rawReport().length).isEqualTo(Files.size(big));
        }
        long[] total = new long[runs];
        for (int i = -warmup; i < runs; i++) {
            String digest = queue();
            long start = System.nanoTime();
            assertThat(worker.processNext()).isTrue();
            if (i >= 0) {
                total[i] = System.nanoTime() - start;
            }
            ImageScan done = QuarkusTransaction.requiringNew().call(() -> scans.findByDigest(digest).orElseThrow());
            assertThat(done.status).isEqualTo(ScanStatus.DONE);
            assertThat(done.findings.size()).isEqualTo(bigVulnerabilities);
        }
        System.out.printf("BENCH scan with a 1 MB report, whole pipeline step (dequeue, Trivy process start, read,"
                + " parse, judge, persist, emit), %d runs: %s%n", runs, percentiles(total));
        System.out.printf("BENCH   of which the stand-in process alone (bash + cat 1 MB), %d runs: %s%n", runs,
                percentiles(process));
        // The same steps one by one, for where the time goes.
        long[] claim = new long[runs];
        long[] parse = new long[runs];
        long[] store = new long[runs];
        byte[] report = Files.readAllBytes(big);
        for (int i = -warmup; i < runs; i++) {
            queue();
            long t0 = System.nanoTime();
            ScanService.Claim next = service.claimNext().orElseThrow();
            long t1 = System.nanoTime();
            TrivyClient.Scan scan = new TrivyClient.Scan(report, TrivyReportParser.parse(report), Duration.ZERO);
            long t2 = System.nanoTime();
            service.complete(next, scan, database.current());
            long t3 = System.nanoTime();
            if (i >= 0) {
                claim[i] = t1 - t0;
                parse[i] = t2 - t1;
                store[i] = t3 - t2;
            }
        }
        System.out.printf("BENCH   dequeue (claim transaction), %d runs: %s%n", runs, percentiles(claim));
        System.out.printf("BENCH   parse the 1 MB report, %d runs: %s%n", runs, percentiles(parse));
        System.out.printf("BENCH   findings, judge, persist report and result, outbox (one transaction), %d runs: %s%n",
                runs, percentiles(store));
    }

    private void cacheHits() {
        String digest = queue();
        assertThat(worker.processNext()).isTrue();
        int warmup = 50;
        int runs = 500;
        long[] times = new long[runs];
        String token = TestTokens.forUser("ada", Roles.ADMIN);
        for (int i = -warmup; i < runs; i++) {
            long start = System.nanoTime();
            boolean fromCache = given().auth()
                    .oauth2(token)
                    .post("/api/v1/scans/" + digest + "/rescan")
                    .then()
                    .statusCode(200)
                    .extract()
                    .path("fromCache");
            if (i >= 0) {
                times[i] = System.nanoTime() - start;
            }
            assertThat(fromCache).isTrue();
        }
        System.out.printf("BENCH rescan answered from cache (HTTP round trip, judge, persist, emit), %d runs: %s%n",
                runs, percentiles(times));
        assertThat(TrivyStandIn.calls(trivy, digest)).isEqualTo(1);
    }

    private String queue() {
        String digest = OciImages.digest(UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8));
        QuarkusTransaction.requiringNew().run(() -> {
            ImageScan scan = new ImageScan();
            scan.id = UUID.randomUUID();
            scan.digest = digest;
            scan.registry = "registry.example.com";
            scan.repository = "models/big";
            scan.reference = ImageDescriptor.pinnedReference(scan.registry, scan.repository, digest);
            scan.connectionId = "bench";
            scan.descriptor = new ImageDescriptor(scan.connectionId, scan.registry, scan.repository, null, digest,
                    scan.reference, null, null, 0, null, null, null);
            scan.status = ScanStatus.QUEUED;
            scan.requestedAt = Instant.now();
            scan.discoveryEventId = UUID.randomUUID();
            scans.persist(scan);
        });
        return digest;
    }

    private static String percentiles(long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return String.format("p50 %.1f ms, p99 %.1f ms, max %.1f ms", at(sorted, 0.50), at(sorted, 0.99),
                sorted[sorted.length - 1] / 1e6);
    }

    private static double at(long[] sorted, double q) {
        return sorted[(int) Math.ceil(q * sorted.length) - 1] / 1e6;
    }
}
