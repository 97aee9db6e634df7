package io.modelgate.testing;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.Node;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EmbeddedKafkaTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    @Test
    void sharedBrokerAnswersAndIsTheSameInstance() throws Exception {
        EmbeddedKafka kafka = EmbeddedKafka.shared();
        assertThat(EmbeddedKafka.shared()).isSameAs(kafka);
        assertThat(kafka.bootstrapServers()).isNotBlank();

        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        try (Admin admin = Admin.create(props)) {
            Collection<Node> nodes = admin.describeCluster().nodes().get(10, TimeUnit.SECONDS);
            assertThat(nodes).hasSize(1);
            String clusterId = admin.describeCluster().clusterId().get(10, TimeUnit.SECONDS);
            assertThat(clusterId).isNotBlank();
        }
    }

    @Test
    void recordComesBackWithKeyValueAndHeaders() {
        KafkaTestClient client = KafkaTestClient.shared();
        String topic = "embedded-kafka-test-" + UUID.randomUUID();
        String key = "key-" + UUID.randomUUID();
        byte[] value = "{\"hello\":\"kafka\",\"bytes\":\"\u00e9\u20ac\"}".getBytes(StandardCharsets.UTF_8);

        client.send(topic, "other-key", "noise".getBytes(StandardCharsets.UTF_8), Map.of());
        client.send(topic, key, value, Map.of("ce_type", "io.modelgate.test", "ce_id", "42"));

        ConsumerRecord<String, byte[]> record = client.await(topic, r -> key.equals(r.key()), TIMEOUT);

        assertThat(record.topic()).isEqualTo(topic);
        assertThat(record.key()).isEqualTo(key);
        assertThat(record.value()).isEqualTo(value);
        assertThat(KafkaTestClient.header(record, "ce_type")).isEqualTo("io.modelgate.test");
        assertThat(KafkaTestClient.header(record, "ce_id")).isEqualTo("42");
        assertThat(KafkaTestClient.header(record, "missing")).isNull();
        assertThat(record.headers().toArray()).hasSize(2);
    }

    @Test
    void resendReproducesTheRecordWithItsHeaders() {
        KafkaTestClient client = KafkaTestClient.shared();
        String topic = "embedded-kafka-resend-" + UUID.randomUUID();
        client.send(topic, "k", "v".getBytes(StandardCharsets.UTF_8), Map.of("h", "1"));
        ConsumerRecord<String, byte[]> original = client.await(topic, r -> "k".equals(r.key()), TIMEOUT);

        client.resend(original);

        var both = client.awaitAll(topic, r -> "k".equals(r.key()), 2, TIMEOUT);
        assertThat(both).hasSize(2);
        assertThat(both).allSatisfy(r -> {
            assertThat(r.value()).isEqualTo("v".getBytes(StandardCharsets.UTF_8));
            assertThat(KafkaTestClient.header(r, "h")).isEqualTo("1");
        });
    }

    @Test
    void awaitAllWithNothingMatchingFailsAfterTheTimeout() {
        KafkaTestClient client = KafkaTestClient.shared();
        String topic = "embedded-kafka-empty-" + UUID.randomUUID();
        client.send(topic, "present", "x".getBytes(StandardCharsets.UTF_8), Map.of());
        Duration timeout = Duration.ofMillis(1500);

        long start = System.nanoTime();
        assertThatThrownBy(() -> client.awaitAll(topic, r -> "absent".equals(r.key()), 1, timeout))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining(topic)
                .hasMessageContaining("found 0");
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);

        assertThat(elapsed).isGreaterThanOrEqualTo(timeout).isLessThan(Duration.ofSeconds(10));
    }
}
