package io.modelgate.scanner.config;

import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import io.modelgate.scanner.client.trivy.RegistryCredentials;
import io.modelgate.scanner.client.trivy.TrivyClient;
import io.modelgate.scanner.client.trivy.TrivySettings;

/** Builds the Trivy wrapper and the registry credentials lookup from the settings, keeping the wrapper config-free. */
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

    /** The credentials configured per registry; none for a registry that is not configured. */
    @Produces
    @Singleton
    RegistryCredentials.Lookup credentials(ScannerConfig config) {
        return registry -> {
            ScannerConfig.Registry r = config.registries().get(registry);
            return r == null
                    ? RegistryCredentials.none()
                    : new RegistryCredentials(r.username(), r.password(), r.registryToken());
        };
    }
}
