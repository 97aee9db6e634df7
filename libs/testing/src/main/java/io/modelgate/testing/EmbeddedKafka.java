package io.modelgate.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/** A real single-node Kafka broker in KRaft mode (combined controller and broker), started in this JVM. */
public final class EmbeddedKafka implements AutoCloseable {

    /**
     * Where the shared broker listens, as a JVM-wide system property. Quarkus loads test classes in its own class
     * loader, so a static field alone could start a second broker; the property lets every loader find the first.
     */
    public static final String SHARED_PROPERTY = "modelgate.test.kafka.bootstrap-servers";

    private static EmbeddedKafka shared;

    private final KafkaClusterTestKit cluster;

    private EmbeddedKafka(KafkaClusterTestKit cluster) {
        this.cluster = cluster;
    }

    /**
     * The broker shared by every test in this JVM; started on first use and stopped at JVM exit. Sharing matters on a
     * 2-core machine: a broker takes seconds to start, and test classes isolate themselves by topic and group names.
     */
    public static synchronized EmbeddedKafka shared() {
        if (shared == null) {
            shared = start(Map.of());
            EmbeddedKafka started = shared;
            Runtime.getRuntime().addShutdownHook(new Thread(started::close, "embedded-kafka-stop"));
            System.setProperty(SHARED_PROPERTY, started.bootstrapServers());
        }
        return shared;
    }

    /** The shared broker's address, whichever class loader started it; starts it if none has. */
    public static String sharedBootstrapServers() {
        // System is loaded once for all class loaders, so this lock is really JVM-wide.
        synchronized (System.class) {
            String running = System.getProperty(SHARED_PROPERTY);
            return running != null ? running : shared().bootstrapServers();
        }
    }

    /** Starts a new broker; {@code brokerConfig} overrides server properties (for example a fixed listener port). */
    public static EmbeddedKafka start(Map<String, String> brokerConfig) {
        try {
            Path baseDir = Files.createTempDirectory("modelgate-kafka");
            TestKitNodes nodes = new TestKitNodes.Builder()
                    .setCombined(true)
                    .setNumBrokerNodes(1)
                    .setNumControllerNodes(1)
                    .setBaseDirectory(baseDir)
                    .build();
            KafkaClusterTestKit.Builder builder = new KafkaClusterTestKit.Builder(nodes)
                    // One broker: internal topics and transactions cannot replicate further.
                    .setConfigProp("offsets.topic.replication.factor", "1")
                    .setConfigProp("transaction.state.log.replication.factor", "1")
                    .setConfigProp("transaction.state.log.min.isr", "1")
                    .setConfigProp("group.initial.rebalance.delay.ms", "0")
                    // Kafka's 50 offsets partitions cost each new consumer group over a second here.
                    .setConfigProp("offsets.topic.num.partitions", "1")
                    .setConfigProp("auto.create.topics.enable", "true")
                    .setConfigProp("num.partitions", "3");
            brokerConfig.forEach(builder::setConfigProp);
            KafkaClusterTestKit cluster = builder.build();
            cluster.format();
            cluster.startup();
            cluster.waitForReadyBrokers();
            return new EmbeddedKafka(cluster);
        } catch (Exception e) {
            throw new IllegalStateException("Embedded Kafka failed to start", e);
        }
    }

    public String bootstrapServers() {
        return cluster.bootstrapServers();
    }

    @Override
    public void close() {
        try {
            cluster.close();
        } catch (Exception e) {
            // Stopping is best effort: the JVM is usually exiting and the temp directory goes with it.
        }
    }
}
