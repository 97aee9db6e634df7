package io.modelgate.platform.config;

import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Turns the OpenTelemetry SDK off unless an OTLP endpoint or a Zipkin endpoint is configured. Quarkus otherwise exports
 * to {@code localhost:4317} and logs a failure for every batch when nothing listens there. A Zipkin endpoint
 * ({@code MODELGATE_TRACING_ZIPKIN_ENDPOINT}, e.g. {@code http://localhost:9411/api/v2/spans}) switches the exporter to
 * Zipkin ({@link io.modelgate.platform.tracing.ZipkinExporter}) and takes precedence over OTLP. Its ordinal is below
 * every file, so an explicit {@code quarkus.otel.sdk.disabled} (tests use one) still wins.
 */
public class TracingDefaultsConfigSource implements ConfigSource {

    private static final String[] ENDPOINT_VARIABLES = {
            "OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT",
            "QUARKUS_OTEL_EXPORTER_OTLP_ENDPOINT", "QUARKUS_OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"};
    private static final String[] ENDPOINT_PROPERTIES = {
            "quarkus.otel.exporter.otlp.endpoint", "quarkus.otel.exporter.otlp.traces.endpoint"};

    private static final String ZIPKIN_VARIABLE = "MODELGATE_TRACING_ZIPKIN_ENDPOINT";
    private static final String ZIPKIN_PROPERTY = "modelgate.tracing.zipkin.endpoint";

    private final Map<String, String> properties;

    public TracingDefaultsConfigSource() {
        boolean endpointSet = Stream.of(ENDPOINT_VARIABLES)
                .map(System::getenv)
                .anyMatch(TracingDefaultsConfigSource::set)
                || Stream.of(ENDPOINT_PROPERTIES).map(System::getProperty).anyMatch(TracingDefaultsConfigSource::set);
        String zipkin = System.getenv(ZIPKIN_VARIABLE);
        if (!set(zipkin)) {
            zipkin = System.getProperty(ZIPKIN_PROPERTY);
        }
        if (set(zipkin)) {
            this.properties = Map.of("modelgate.tracing.zipkin.enabled", "true", ZIPKIN_PROPERTY, zipkin.strip());
        } else {
            this.properties = endpointSet ? Map.of() : Map.of("quarkus.otel.sdk.disabled", "true");
        }
    }

    private static boolean set(String value) {
        return value != null && !value.isBlank();
    }

    @Override
    public Set<String> getPropertyNames() {
        return properties.keySet();
    }

    @Override
    public String getValue(String propertyName) {
        return properties.get(propertyName);
    }

    @Override
    public String getName() {
        return "modelgate-tracing-defaults";
    }

    @Override
    public int getOrdinal() {
        return 90;
    }
}
