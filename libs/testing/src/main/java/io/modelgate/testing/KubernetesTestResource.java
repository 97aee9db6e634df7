package io.modelgate.testing;

import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/** Points a Quarkus test's Kubernetes client at a fresh KServe-aware mock API server. */
public class KubernetesTestResource implements QuarkusTestResourceLifecycleManager {

    private static volatile KServeMockCluster current;

    /** The cluster of the running test, for writing controller status from the test. */
    public static KServeMockCluster cluster() {
        return current;
    }

    @Override
    public Map<String, String> start() {
        current = KServeMockCluster.start();
        return Map.of(
                "quarkus.kubernetes-client.api-server-url", current.url(),
                "quarkus.kubernetes-client.trust-certs", "true",
                "quarkus.kubernetes-client.namespace", "test");
    }

    @Override
    public void stop() {
        if (current != null) {
            current.close();
        }
    }
}
