package io.modelgate.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.List;

import io.fabric8.kubernetes.client.NamespacedKubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;

/**
 * The fabric8 Kubernetes mock API server in CRUD mode with the KServe CRDs installed, standing in for a cluster where
 * none can run. Objects written to it are stored and watchable; no controller acts on them unless a test does.
 */
public final class KServeMockCluster implements AutoCloseable {

    /** The KServe CRDs shipped in this jar (full OpenAPI v3 schemas), from kserve/kserve at aaac4e2. */
    public static final List<String> CRD_RESOURCES = List.of(
            "/kserve/serving.kserve.io_inferenceservices.yaml",
            "/kserve/serving.kserve.io_servingruntimes.yaml",
            "/kserve/serving.kserve.io_clusterservingruntimes.yaml");

    private final KubernetesMockServer server;
    private final NamespacedKubernetesClient client;

    private KServeMockCluster(KubernetesMockServer server) {
        this.server = server;
        this.client = server.createClient();
    }

    public static KServeMockCluster start() {
        KubernetesMockServer server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                new KubernetesCrudDispatcher(List.of()), false);
        server.init();
        KServeMockCluster cluster = new KServeMockCluster(server);
        cluster.installCrds();
        return cluster;
    }

    private void installCrds() {
        for (String resource : CRD_RESOURCES) {
            try (InputStream in = KServeMockCluster.class.getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IllegalStateException("Missing CRD resource " + resource);
                }
                client.apiextensions().v1().customResourceDefinitions().load(in).create();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** The API server URL, for {@code quarkus.kubernetes-client.api-server-url}. */
    public String url() {
        return server.url("/").toString();
    }

    /** A client for the test itself, for example to write status the way the KServe controller does. */
    public NamespacedKubernetesClient client() {
        return client;
    }

    @Override
    public void close() {
        client.close();
        server.destroy();
    }
}
