package io.modelgate.scanner.domain;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import jakarta.transaction.Transactional.TxType;

import org.jboss.logging.Logger;

import io.modelgate.events.ImageDescriptor;
import io.modelgate.events.ScanCompleted;
import io.modelgate.events.Topics;
import io.modelgate.events.Verdict;
import io.modelgate.platform.outbox.Outbox;
import io.modelgate.platform.problem.ProblemException;
import io.modelgate.scanner.client.trivy.TrivyClient;
import io.modelgate.scanner.client.trivy.TrivyVersion;
import io.modelgate.scanner.config.ScannerConfig;
import io.modelgate.scanner.persistence.ImageScanRepository;
import io.modelgate.scanner.persistence.PolicyExceptionRepository;
import io.modelgate.scanner.persistence.ScanPolicyRepository;
import io.modelgate.scanner.persistence.ScanReportRepository;

/**
 * A scan's life after discovery: claimed by a worker, completed with Trivy's report or failed with a reason, judged
 * against the policy, and announced as {@code ScanCompleted} through the outbox in the same transaction as the result.
 * Every claim carries a token; a worker's result counts only while its claim is the scan's current one.
 */
@ApplicationScoped
public class ScanService {

    private static final Logger LOG = Logger.getLogger(ScanService.class);

    private final ImageScanRepository scans;
    private final ScanReportRepository reports;
    private final ScanPolicyRepository policies;
    private final PolicyExceptionRepository exceptions;
    private final Outbox outbox;
    private final TrivyDatabase database;
    private final ScannerConfig config;
    private final ScanMetrics metrics;

    public ScanService(ImageScanRepository scans, ScanReportRepository reports, ScanPolicyRepository policies,
            PolicyExceptionRepository exceptions, Outbox outbox, TrivyDatabase database, ScannerConfig config,
            ScanMetrics metrics) {
        this.metrics = metrics;
        this.scans = scans;
        this.reports = reports;
        this.policies = policies;
        this.exceptions = exceptions;
        this.outbox = outbox;
        this.database = database;
        this.config = config;
    }

    /**
     * A scan a worker has claimed: what to scan, whether the stored result can answer it, and the token that proves
     * the claim is still this worker's (a scan whose lease ran out is claimed again under a new token).
     */
    public record Claim(UUID id, UUID token, String digest, String reference, String registry,
            boolean answerFromCache, Outbox.StoredTrace trace) {
    }

    /** What a rescan request did. */
    public enum RescanOutcome {
        /** Answered from the result stored for the current database, judged again against the current policy. */
        FROM_CACHE,
        /** Queued for Trivy (or already queued or running). */
        QUEUED
    }

    /**
     * Claims the next waiting scan, in its own short transaction so the lock is not held while Trivy runs. A scan
     * claimed {@code worker.max-attempts} times without a result (its workers died or lost the database each time)
     * ends in ERROR instead of being claimed forever.
     */
    @Transactional(TxType.REQUIRES_NEW)
    public Optional<Claim> claimNext() {
        Instant now = Instant.now();
        Duration lease = config.trivy().timeout().plus(config.trivy().killGrace()).plusMinutes(1);
        while (true) {
            Optional<ImageScan> next = scans.lockNextQueued(now.minus(lease));
            if (next.isEmpty()) {
                return Optional.empty();
            }
            ImageScan scan = next.get();
            if (scan.attempts >= config.worker().maxAttempts()) {
                LOG.warnf("Scan of %s abandoned after %d attempts", scan.digest, scan.attempts);
                endInError(scan, "Scan abandoned after " + scan.attempts
                        + " attempts that ended without a result (worker stopped or lost its database)", now);
                continue;
            }
            scan.status = ScanStatus.RUNNING;
            scan.startedAt = now;
            scan.attempts++;
            scan.claimToken = UUID.randomUUID();
            // Pinned here from its parts, so a discovery that carried a tag in its reference still scans the digest.
            String reference = ImageDescriptor.pinnedReference(scan.registry, scan.repository, scan.digest);
            return Optional.of(new Claim(scan.id, scan.claimToken, scan.digest, reference, scan.registry,
                    cached(scan), scan.traceparent == null
                            ? null
                            : new Outbox.StoredTrace(scan.traceparent, scan.tracestate)));
        }
    }

    /**
     * Stores Trivy's report for a claimed scan, judges it and emits the result; does nothing when the claim is no
     * longer current (returns empty).
     */
    @Transactional(TxType.REQUIRES_NEW)
    public Optional<ImageScan> complete(Claim claim, TrivyClient.Scan result, Optional<TrivyVersion> version) {
        Optional<ImageScan> current = lockCurrent(claim, "its result");
        if (current.isEmpty()) {
            return current;
        }
        ImageScan scan = current.get();
        UUID id = scan.id;
        Instant now = Instant.now();
        List<Finding> findings = Finding.of(result.report());
        scan.findings = findings;
        scan.critical = count(findings, Severity.CRITICAL);
        scan.high = count(findings, Severity.HIGH);
        scan.medium = count(findings, Severity.MEDIUM);
        scan.low = count(findings, Severity.LOW);
        scan.unknown = count(findings, Severity.UNKNOWN);
        scan.fixableCount = (int) findings.stream()
                .filter(f -> f.kind() == FindingKind.VULNERABILITY && f.fixable())
                .count();
        scan.secretCount = (int) findings.stream().filter(f -> f.kind() == FindingKind.SECRET).count();
        scan.misconfigurationCount = (int) findings.stream()
                .filter(f -> f.kind() == FindingKind.MISCONFIGURATION)
                .count();
        setVersion(scan, version);
        scan.scannedAt = now;
        ScanReport report = reports.findById(id);
        boolean first = report == null;
        if (first) {
            report = new ScanReport();
            report.scanId = id;
        }
        report.content = new String(result.rawReport(), StandardCharsets.UTF_8);
        report.storedAt = now;
        if (first) {
            reports.persist(report);
        }
        judgeAndEmit(scan, now);
        return current;
    }

    /**
     * Ends a claimed scan in ERROR: nothing is known about the image, so nothing of an earlier result is kept. Does
     * nothing when the claim is no longer current (returns empty).
     */
    @Transactional(TxType.REQUIRES_NEW)
    public Optional<ImageScan> fail(Claim claim, String reason, Optional<TrivyVersion> version) {
        Optional<ImageScan> current = lockCurrent(claim, "its failure");
        current.ifPresent(scan -> {
            setVersion(scan, version);
            endInError(scan, reason, Instant.now());
        });
        return current;
    }

    /** Answers a claimed scan from its stored result, without Trivy; nothing when the claim is no longer current. */
    @Transactional(TxType.REQUIRES_NEW)
    public Optional<ImageScan> completeFromCache(Claim claim) {
        Optional<ImageScan> current = lockCurrent(claim, "its cached answer");
        current.ifPresent(scan -> judgeAndEmit(scan, Instant.now()));
        return current;
    }

    /**
     * Puts a claimed scan back in the queue without a verdict, for a worker stopped while Trivy ran: the stop says
     * nothing about the image, and the attempt does not count towards {@code worker.max-attempts}.
     */
    @Transactional(TxType.REQUIRES_NEW)
    public Optional<ImageScan> release(Claim claim) {
        Optional<ImageScan> current = lockCurrent(claim, "its release");
        current.ifPresent(scan -> {
            scan.status = ScanStatus.QUEUED;
            scan.startedAt = null;
            scan.claimToken = null;
            scan.attempts = Math.max(0, scan.attempts - 1);
        });
        return current;
    }

    /**
     * The claimed scan, locked until the transaction ends, if the claim is still its current one: RUNNING under the
     * same token. Otherwise its lease ran out and another worker claimed it (or finished it), and that worker's result
     * is the one that counts, so this one is dropped and no second {@code ScanCompleted} is emitted.
     */
    private Optional<ImageScan> lockCurrent(Claim claim, String what) {
        Optional<ImageScan> scan = scans.lockById(claim.id())
                .filter(s -> s.status == ScanStatus.RUNNING && claim.token().equals(s.claimToken));
        if (scan.isEmpty()) {
            LOG.infof("Scan of %s was claimed again or finished since this worker claimed it; %s is dropped",
                    claim.digest(), what);
        }
        return scan;
    }

    /** Ends a scan in ERROR with {@code reason}, emptied of every earlier result, and announces it. */
    private void endInError(ImageScan scan, String reason, Instant now) {
        scan.findings = null;
        scan.critical = scan.high = scan.medium = scan.low = scan.unknown = 0;
        scan.fixableCount = scan.secretCount = scan.misconfigurationCount = 0;
        // No result is stored for any database: the next request for this digest runs Trivy again.
        scan.dbVersion = null;
        scan.scannedAt = now;
        reports.deleteById(scan.id);
        finish(scan, Verdict.ERROR, List.of(TrivyClient.printable(reason)), now);
        emit(scan);
    }

    /**
     * Rescans a digest: answered at once from the stored result when it was computed against the current database
     * (judged again, since the policy may have changed), else queued for Trivy. Either way a {@code ScanCompleted}
     * marked as a rescan follows.
     */
    @Transactional
    public RescanOutcome rescan(String digest) {
        ImageScan scan = scans.findByDigest(digest)
                .orElseThrow(() -> ProblemException.notFound("No scan for " + digest));
        if (scan.status != ScanStatus.DONE) {
            return RescanOutcome.QUEUED;
        }
        scan.rescan = true;
        if (cached(scan)) {
            judgeAndEmit(scan, Instant.now());
            return RescanOutcome.FROM_CACHE;
        }
        scan.status = ScanStatus.QUEUED;
        return RescanOutcome.QUEUED;
    }

    /** Queues rescans of approved digests whose result predates a database updated at {@code dbUpdatedAt}. */
    @Transactional
    public int queueApprovedRescans(Instant dbUpdatedAt) {
        return scans.queueApprovedRescans(dbUpdatedAt);
    }

    private boolean cached(ImageScan scan) {
        String current = database.dbVersion();
        return scan.findings != null && current != null && current.equals(scan.dbVersion);
    }

    private void judgeAndEmit(ImageScan scan, Instant now) {
        PolicyEvaluator.Evaluation evaluation = PolicyEvaluator.evaluate(policies.current(), exceptions.activeAt(now),
                scans.repositoriesOf(scan.digest), scan.digest, scan.findings, now);
        finish(scan, evaluation.verdict(), evaluation.reasons(), now);
        emit(scan);
    }

    private static void finish(ImageScan scan, Verdict verdict, List<String> reasons, Instant now) {
        scan.status = ScanStatus.DONE;
        scan.verdict = verdict;
        scan.reasons = reasons;
        scan.evaluatedAt = now;
        scan.claimToken = null;
        scan.attempts = 0;
    }

    private void emit(ImageScan scan) {
        String reportUrl = scan.verdict == Verdict.ERROR ? null : reportUrl(scan.digest);
        ScanCompleted event = ScanCompleted.of(scan.id.toString(), scan.image(), scan.scanner(), scan.verdict,
                scan.counts(), scan.fixableCount, scan.secretCount, scan.reasons, scan.rescan, reportUrl,
                scan.evaluatedAt);
        outbox.publish(Topics.SCANNER_SCANS, event.key(), event);
        metrics.announced(scan.verdict);
    }

    /** Where the full report of {@code digest} is served. */
    public String reportUrl(String digest) {
        String base = config.publicUrl().endsWith("/")
                ? config.publicUrl().substring(0, config.publicUrl().length() - 1)
                : config.publicUrl();
        return base + "/api/v1/scans/" + digest + "/report";
    }

    private static void setVersion(ImageScan scan, Optional<TrivyVersion> version) {
        scan.scannerVersion = version.map(TrivyVersion::version).orElse(null);
        scan.dbVersion = version.map(TrivyVersion::dbVersion).orElse(null);
        scan.dbUpdatedAt = version.map(TrivyVersion::dbUpdatedAt).orElse(null);
    }

    private static int count(List<Finding> findings, Severity severity) {
        return (int) findings.stream()
                .filter(f -> f.kind() == FindingKind.VULNERABILITY && f.severity() == severity)
                .count();
    }
}
