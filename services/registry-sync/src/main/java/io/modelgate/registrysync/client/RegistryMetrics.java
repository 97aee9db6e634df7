package io.modelgate.registrysync.client;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/** Counts registry requests by kind and status ({@code modelgate_registry_requests_total}). */
@ApplicationScoped
public class RegistryMetrics {

    public static final String REQUESTS = "modelgate.registry.requests";

    private final MeterRegistry registry;
    private final java.util.Map<String, Counter> counters = new java.util.concurrent.ConcurrentHashMap<>();

    public RegistryMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    void request(String kind, String status) {
        // Looked up once per kind and status: a warm sync counts thousands of HEADs a second.
        counters.computeIfAbsent(kind + ' ' + status, key -> Counter.builder(REQUESTS)
                .description(
                        "Requests to registries by kind (ping, token, catalog, tags, head, manifest, blob) and status")
                .tag("kind", kind)
                .tag("status", status)
                .register(registry))
                .increment();
    }

    /** Requests of one kind so far, any status; the benchmark reads manifest GETs here. */
    public double count(String kind) {
        return registry.find(REQUESTS).tag("kind", kind).counters().stream().mapToDouble(Counter::count).sum();
    }
}
