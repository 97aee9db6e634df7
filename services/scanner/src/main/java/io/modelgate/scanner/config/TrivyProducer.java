package io.modelgate.scanner.config;

import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;

import io.modelgate.scanner.client.trivy.RegistryCredentials;
import io.modelgate.scanner.client.trivy.TrivyClient;
import io.modelgate.scanner.client.trivy.TrivySettings;

/** Builds the Trivy wrapper from the scanner's settings, so the wrapper itself stays free of configuration code. */
@ApplicationScoped
public class TrivyProducer {

    @Produces
    @ApplicationScoped
    TrivyClient trivyClient(ScannerConfig config) {
        ScannerConfig.Trivy trivy = config.trivy();
        Set<String> insecure = config.registries()
                .entrySet()
                .stream()
                .filter(e -> e.getValue().insecure())
                .map(e -> e.getKey())
                .collect(Collectors.toSet());
        return new TrivyClient(new TrivySettings(Path.of(trivy.path()), trivy.server(), Path.of(trivy.cacheDir()),
                trivy.scanners(), trivy.timeout(), trivy.killGrace(), trivy.concurrency(), insecure,
                trivy.maxReportBytes(), trivy.maxStderrBytes()));
    }

    void close(@Disposes TrivyClient client) {
        client.close();
    }

    /** The credentials configured for {@code registry}; none when it is not configured. */
    public static RegistryCredentials credentials(ScannerConfig config, String registry) {
        ScannerConfig.Registry r = config.registries().get(registry);
        return r == null
                ? RegistryCredentials.none()
                : new RegistryCredentials(r.username(), r.password(), r.registryToken());
    }
}
