package io.modelgate.scanner.domain;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.modelgate.platform.messaging.TraceContext;
import io.modelgate.scanner.client.trivy.RegistryCredentials;
import io.modelgate.scanner.client.trivy.TrivyClient;
import io.modelgate.scanner.client.trivy.TrivyException;
import io.modelgate.scanner.client.trivy.TrivyInterruptedException;
import io.modelgate.scanner.client.trivy.TrivyVersion;
import io.modelgate.scanner.config.ScannerConfig;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * Takes queued scans one at a time per worker ({@code trivy.concurrency} workers) and runs them: from the stored result
 * when it is current, else through Trivy. Whatever goes wrong with Trivy ends that scan in ERROR and the worker moves
 * on; a worker stopped while Trivy runs puts the scan back in the queue; only a database failure leaves a scan
 * claimed, and its lease hands it to a worker again later (at most {@code worker.max-attempts} times).
 */
@ApplicationScoped
public class ScanWorker {

    private static final Logger LOG = Logger.getLogger(ScanWorker.class);

    private final ScanService service;
    private final TrivyClient trivy;
    private final TrivyDatabase database;
    private final RegistryCredentials.Lookup credentials;
    private final ScannerConfig config;
    private final ScanMetrics metrics;
    private final Tracer tracer;
    private ExecutorService workers;
    private volatile boolean running;

    public ScanWorker(ScanService service, TrivyClient trivy, TrivyDatabase database,
            RegistryCredentials.Lookup credentials, ScannerConfig config, ScanMetrics metrics,
            OpenTelemetry openTelemetry) {
        this.service = service;
        this.tracer = openTelemetry.getTracer("io.modelgate.scanner");
        this.metrics = metrics;
        this.trivy = trivy;
        this.database = database;
        this.credentials = credentials;
        this.config = config;
    }

    void start(@Observes StartupEvent startup) {
        if (!config.worker().enabled()) {
            return;
        }
        running = true;
        int count = config.trivy().concurrency();
        AtomicInteger threads = new AtomicInteger();
        workers = Executors.newFixedThreadPool(count, r -> new Thread(r, "scan-worker-" + threads.incrementAndGet()));
        for (int i = 0; i < count; i++) {
            workers.submit(this::loop);
        }
    }

    /** Interrupts the workers: a running Trivy is killed and its scan goes back to the queue, without a verdict. */
    void stop(@Observes ShutdownEvent shutdown) {
        running = false;
        if (workers != null) {
            workers.shutdownNow();
            try {
                workers.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void loop() {
        while (running && !Thread.currentThread().isInterrupted()) {
            boolean worked;
            try {
                worked = processNext();
            } catch (Throwable e) {
                // Anything at all (an Error included) must not end the worker: this instance would stop scanning.
                LOG.errorf(e, "Scan worker failed; retrying after %s", config.worker().pollInterval());
                worked = false;
            }
            if (!worked) {
                try {
                    Thread.sleep(config.worker().pollInterval().toMillis());
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    /** Processes the next queued scan, if there is one; returns whether there was. */
    public boolean processNext() {
        Optional<ScanService.Claim> next = service.claimNext();
        if (next.isEmpty()) {
            return false;
        }
        ScanService.Claim claim = next.get();
        // The scan is a step of the image's trace: a child of the discovery's consumer span, and ScanCompleted is
        // published inside it.
        Context parent = claim.trace() == null
                ? Context.root()
                : TraceContext.extract(claim.trace().traceparent(), claim.trace().tracestate());
        Span span = tracer.spanBuilder("scan")
                .setParent(parent)
                .setSpanKind(SpanKind.INTERNAL)
                .setAttribute("modelgate.image.digest", claim.digest())
                .setAttribute("modelgate.scan.from_cache", claim.answerFromCache())
                .startSpan();
        try (Scope scope = span.makeCurrent()) {
            scan(claim);
        } finally {
            span.end();
        }
        return true;
    }

    private void scan(ScanService.Claim claim) {
        if (claim.answerFromCache()) {
            service.completeFromCache(claim);
            return;
        }
        // The database last seen, not asked again per scan (a second process start): if Trivy updated it since, the
        // result is recorded against the older version, which can only cause an extra rescan later.
        Optional<TrivyVersion> version = database.current().isPresent() ? database.current() : database.refresh();
        long started = System.nanoTime();
        TrivyClient.Scan result;
        try {
            result = trivy.scan(claim.reference(), claim.registry(), credentials.forRegistry(claim.registry()));
        } catch (TrivyInterruptedException e) {
            requeue(claim);
            return;
        } catch (TrivyException e) {
            LOG.warnf("Scan of %s failed: %s", claim.reference(), e.getMessage());
            timed(service.fail(claim, e.getMessage(), version), started);
            return;
        } catch (Throwable e) {
            // Fail closed on anything unforeseen in the wrapper too: the scan ends in ERROR, never in PASS.
            LOG.errorf(e, "Scan of %s failed unexpectedly", claim.reference());
            timed(service.fail(claim, "Scanner failure: " + e.getClass().getSimpleName(), version), started);
            return;
        }
        try {
            timed(service.complete(claim, result, version), started);
        } catch (Throwable e) {
            // The result could not be stored (a report the database refuses, say): say so rather than leave the scan
            // to its lease. Should this fail too, the lease and worker.max-attempts end it.
            LOG.errorf(e, "Result of %s could not be stored", claim.reference());
            timed(service.fail(claim, "Scanner failure storing the result: " + e.getClass().getSimpleName(), version),
                    started);
        }
    }

    /** Times a scan that ran Trivy, once its result counted (a superseded claim's result did not). */
    private void timed(Optional<ImageScan> recorded, long started) {
        recorded.ifPresent(scan -> metrics.scanned(scan.verdict, Duration.ofNanos(System.nanoTime() - started)));
    }

    /** The service is stopping: the scan goes back to the queue, and this worker ends. */
    private void requeue(ScanService.Claim claim) {
        // Cleared for the transaction that releases the claim, then restored so the loop ends.
        Thread.interrupted();
        try {
            service.release(claim);
            LOG.infof("Scan of %s interrupted by shutdown; queued again", claim.reference());
        } finally {
            Thread.currentThread().interrupt();
        }
    }
}
