package io.modelgate.platform.tracing;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.opentelemetry.exporter.zipkin.ZipkinSpanExporter;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.quarkus.arc.lookup.LookupIfProperty;

/**
 * Sends spans to a Zipkin server instead of an OTLP collector when {@code MODELGATE_TRACING_ZIPKIN_ENDPOINT} is set
 * (the local stack runs Zipkin, which needs no Docker). Quarkus exports through the span exporters found in CDI and
 * installs its own OTLP exporter only when there are none, so this bean is visible only while Zipkin is switched on
 * ({@link io.modelgate.platform.config.TracingDefaultsConfigSource} sets {@code modelgate.tracing.zipkin.enabled}), and OTLP stays the default everywhere else.
 */
@ApplicationScoped
public class ZipkinExporter {

    @Produces
    @Singleton
    @LookupIfProperty(name = "modelgate.tracing.zipkin.enabled", stringValue = "true")
    SpanExporter zipkin(
            @ConfigProperty(name = "modelgate.tracing.zipkin.endpoint", defaultValue = "http://localhost:9411/api/v2/spans") String endpoint) {
        return ZipkinSpanExporter.builder().setEndpoint(endpoint).build();
    }
}
