package io.modelgate.scanner.client.trivy;

import java.nio.file.Path;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Points the scanner at the Trivy stand-in, with short timeouts and a fast worker poll so tests of failures finish
 * quickly; {@code private.example.com} has credentials and {@code insecure.example.com} is plain HTTP, as the
 * stand-in expects.
 */
public class TrivyStandInResource implements QuarkusTestResourceLifecycleManager {

    /** The password configured for private.example.com; it must never appear in a reason, a log or argv. */
    public static final String PRIVATE_PASSWORD = "pw-7f3a9c-never-shown";

    @Override
    public Map<String, String> start() {
        Path binary = TrivyStandIn.install();
        return Map.of(
                "modelgate.scanner.trivy.path", binary.toString(),
                "modelgate.scanner.trivy.cache-dir", binary.resolveSibling("cache").toString(),
                "modelgate.scanner.trivy.timeout", "1s",
                "modelgate.scanner.trivy.kill-grace", "500ms",
                "modelgate.scanner.worker.poll-interval", "100ms",
                "modelgate.scanner.registries.\"private.example.com\".username", "scanner",
                "modelgate.scanner.registries.\"private.example.com\".password", PRIVATE_PASSWORD,
                "modelgate.scanner.registries.\"insecure.example.com\".insecure", "true");
    }

    @Override
    public void stop() {
        // The temporary directory holds only copies of test resources.
    }
}
