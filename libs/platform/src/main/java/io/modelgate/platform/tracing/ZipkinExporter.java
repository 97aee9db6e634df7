package io.modelgate.platform.tracing;

import java.time.Duration;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.opentelemetry.exporter.zipkin.ZipkinSpanExporter;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.quarkus.arc.Unremovable;
import io.quarkus.arc.lookup.LookupUnlessProperty;

/**
 * Sends spans to a Zipkin server instead of an OTLP collector when {@code MODELGATE_TRACING_ZIPKIN_ENDPOINT} is set
 * (the local stack runs Zipkin, which needs no Docker). Quarkus adds every {@link SpanProcessor} bean to the tracer
 * provider, and installs its own OTLP exporter only while no {@link SpanExporter} bean can be looked up.
 */
@ApplicationScoped
public class ZipkinExporter {

    /** {@code MODELGATE_TRACING_ZIPKIN_ENDPOINT}, e.g. {@code http://localhost:9411/api/v2/spans}. */
    static final String ENDPOINT = "modelgate.tracing.zipkin.endpoint";

    private static final Logger LOG = Logger.getLogger(ZipkinExporter.class);

    /** Exports to Zipkin when an endpoint is set; otherwise does nothing and OTLP stays as configured. */
    @Unremovable
    @Produces
    @Singleton
    SpanProcessor zipkin(@ConfigProperty(name = ENDPOINT) Optional<String> endpoint,
            @ConfigProperty(name = "quarkus.otel.bsp.schedule.delay", defaultValue = "5s") Duration delay) {
        if (endpoint.isEmpty() || endpoint.get().isBlank()) {
            return SpanProcessor.composite();
        }
        LOG.infof("Tracing: spans go to Zipkin at %s", endpoint.get());
        return BatchSpanProcessor.builder(ZipkinSpanExporter.builder().setEndpoint(endpoint.get().strip()).build())
                .setScheduleDelay(delay)
                .build();
    }

    /**
     * Visible only while a Zipkin endpoint is set, and exports nothing: its presence is what keeps Quarkus from also
     * installing the OTLP exporter, which would send every batch to a collector that is not there.
     */
    @Unremovable
    @Produces
    @Singleton
    @LookupUnlessProperty(name = ENDPOINT, stringValue = "", lookupIfMissing = false)
    SpanExporter otlpSwitch() {
        return SpanExporter.composite();
    }
}
