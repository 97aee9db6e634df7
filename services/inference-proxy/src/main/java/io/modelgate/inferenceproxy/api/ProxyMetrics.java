package io.modelgate.inferenceproxy.api;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * Per-model meters: requests by outcome class, upstream latency and the proxy's own overhead kept apart, tokens in
 * and out. Meters are looked up once per model and endpoint, not per request, to keep the hot path cheap.
 */
@ApplicationScoped
public class ProxyMetrics {

    private final MeterRegistry registry;
    private final Map<String, Meters> meters = new ConcurrentHashMap<>();

    public ProxyMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** The meters of one model on one endpoint. */
    final class Meters {
        private final String model;
        private final String endpoint;
        private final Map<String, Counter> requests = new ConcurrentHashMap<>();
        final Timer upstream;
        final Timer overhead;
        final Counter tokensIn;
        final Counter tokensOut;

        Meters(String model, String endpoint) {
            this.model = model;
            this.endpoint = endpoint;
            this.upstream = Timer.builder("modelgate.proxy.upstream.latency")
                    .description("Time the provider took, from request sent to response complete")
                    .tags("model", model, "endpoint", endpoint)
                    .publishPercentiles(0.5, 0.99)
                    .register(registry);
            this.overhead = Timer.builder("modelgate.proxy.overhead")
                    .description("Time the proxy itself added to a request")
                    .tags("model", model, "endpoint", endpoint)
                    .publishPercentiles(0.5, 0.99)
                    .register(registry);
            this.tokensIn = Counter.builder("modelgate.proxy.tokens")
                    .tags("model", model, "direction", "in")
                    .register(registry);
            this.tokensOut = Counter.builder("modelgate.proxy.tokens")
                    .tags("model", model, "direction", "out")
                    .register(registry);
        }

        /** Counts a finished request by outcome: 2xx, 4xx, 5xx, or an error class such as upstream_unreachable. */
        void request(String outcome) {
            requests.computeIfAbsent(outcome, o -> Counter.builder("modelgate.proxy.requests")
                    .tags("model", model, "endpoint", endpoint, "outcome", o)
                    .register(registry)).increment();
        }

        void timings(long upstreamNanos, long overheadNanos) {
            upstream.record(Duration.ofNanos(upstreamNanos));
            overhead.record(Duration.ofNanos(Math.max(0, overheadNanos)));
        }

        void tokens(long in, long out) {
            if (in > 0) {
                tokensIn.increment(in);
            }
            if (out > 0) {
                tokensOut.increment(out);
            }
        }
    }

    Meters of(String model, String endpoint) {
        return meters.computeIfAbsent(model + '\u0000' + endpoint, k -> new Meters(model, endpoint));
    }
}
