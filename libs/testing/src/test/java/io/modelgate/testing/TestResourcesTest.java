package io.modelgate.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The Quarkus test resources hand out configuration that points at live servers. */
class TestResourcesTest {

    @Test
    void jwtResourceTrustsTheMintedTokens() {
        Map<String, String> config = new JwtTestResource().start();
        assertThat(config).containsEntry("mp.jwt.verify.issuer", TestTokens.ISSUER)
                .containsEntry("mp.jwt.verify.publickey", TestTokens.publicKeyPem());
    }

    @Test
    void kafkaResourcePointsAtTheSharedBroker() {
        Map<String, String> config = new KafkaTestResource().start();
        assertThat(config).containsEntry("kafka.bootstrap.servers", EmbeddedKafka.shared().bootstrapServers());
    }

    @Test
    void postgresResourceGivesEachTestItsOwnReachableDatabase() throws Exception {
        Map<String, String> first = new PostgresTestResource().start();
        Map<String, String> second = new PostgresTestResource().start();
        assertThat(first.get("quarkus.datasource.jdbc.url")).isNotEqualTo(second.get("quarkus.datasource.jdbc.url"));

        try (Connection c = DriverManager.getConnection(first.get("quarkus.datasource.jdbc.url"),
                first.get("quarkus.datasource.username"), first.get("quarkus.datasource.password"));
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("select current_user")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo(PostgresServer.USER);
        }
    }

    @Test
    void kubernetesResourceServesTheKServeCrdsUntilStopped() {
        KubernetesTestResource resource = new KubernetesTestResource();
        Map<String, String> config = resource.start();
        assertThat(config).containsEntry("quarkus.kubernetes-client.namespace", "test");
        assertThat(KubernetesTestResource.cluster()).isNotNull();
        Config clientConfig = new ConfigBuilder(Config.empty())
                .withMasterUrl(config.get("quarkus.kubernetes-client.api-server-url"))
                .withTrustCerts(true)
                .withNamespace("test")
                .withRequestRetryBackoffLimit(0)
                .withConnectionTimeout(1000)
                .build();
        try (KubernetesClient client = new KubernetesClientBuilder().withConfig(clientConfig).build()) {
            assertThat(client.apiextensions()
                    .v1()
                    .customResourceDefinitions()
                    .withName("inferenceservices.serving.kserve.io")
                    .get()).isNotNull();

            resource.stop();

            assertThatThrownBy(() -> client.apiextensions()
                    .v1()
                    .customResourceDefinitions()
                    .withName("inferenceservices.serving.kserve.io")
                    .get())
                    .isInstanceOf(RuntimeException.class);
        }
    }

    @Test
    void freePortsAreBindableOnLoopback() throws IOException {
        int port = FreePorts.next();
        assertThat(port).isBetween(1024, 65535);
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            assertThat(socket.getLocalPort()).isEqualTo(port);
        }
    }
}
