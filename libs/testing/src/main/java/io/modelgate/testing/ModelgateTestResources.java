package io.modelgate.testing;

import java.util.HashMap;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Everything a Modelgate service needs in a test, in one annotation: the shared Kafka broker, a fresh database of
 * its own, and trust in {@link TestTokens}.
 */
public class ModelgateTestResources implements QuarkusTestResourceLifecycleManager {

    private final KafkaTestResource kafka = new KafkaTestResource();
    private final PostgresTestResource postgres = new PostgresTestResource();
    private final JwtTestResource jwt = new JwtTestResource();

    @Override
    public Map<String, String> start() {
        Map<String, String> config = new HashMap<>();
        config.putAll(kafka.start());
        config.putAll(postgres.start());
        config.putAll(jwt.start());
        return config;
    }

    @Override
    public void stop() {
        jwt.stop();
        postgres.stop();
        kafka.stop();
    }
}
