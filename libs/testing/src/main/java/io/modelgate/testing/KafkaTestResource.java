package io.modelgate.testing;

import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/** Points a Quarkus test at the shared embedded Kafka broker. */
public class KafkaTestResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        return Map.of("kafka.bootstrap.servers", EmbeddedKafka.sharedBootstrapServers());
    }

    @Override
    public void stop() {
        // The broker is shared across test classes and stops with the JVM.
    }
}
