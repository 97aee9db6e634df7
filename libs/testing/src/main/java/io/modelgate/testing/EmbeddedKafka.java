package io.modelgate.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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

    /** The cluster id of a kept data directory: fixed, so a restart finds its own logs. */
    private static final String PERSISTENT_CLUSTER_ID = "bW9kZWxnYXRlLWxvY2FsMQ";

    private final KafkaClusterTestKit cluster;
    private final boolean persistent;

    private EmbeddedKafka(KafkaClusterTestKit cluster, boolean persistent) {
        this.cluster = cluster;
        this.persistent = persistent;
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
            return start(Files.createTempDirectory("modelgate-kafka"), null, brokerConfig, false);
        } catch (IOException e) {
            throw new IllegalStateException("Embedded Kafka failed to start", e);
        }
    }

    /**
     * Starts a broker whose logs live in {@code directory} and outlive it: formatted on first use, reused on every
     * later start (topics, records and consumer offsets survive a restart), and left in place by {@link #close()}.
     */
    public static EmbeddedKafka startPersistent(Path directory, Map<String, String> brokerConfig) {
        return start(directory, PERSISTENT_CLUSTER_ID, brokerConfig, true);
    }

    private static EmbeddedKafka start(Path baseDir, String clusterId, Map<String, String> brokerConfig,
            boolean persistent) {
        try {
            Files.createDirectories(baseDir);
            TestKitNodes.Builder nodesBuilder = new TestKitNodes.Builder()
                    .setCombined(true)
                    .setNumBrokerNodes(1)
                    .setNumControllerNodes(1)
                    .setBaseDirectory(baseDir);
            if (clusterId != null) {
                nodesBuilder.setClusterId(clusterId);
            }
            TestKitNodes nodes = nodesBuilder.build();
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
            // A kept directory is formatted once; formatting again would refuse or wipe it.
            boolean formatted;
            try (var entries = Files.walk(baseDir, 2)) {
                formatted = entries.anyMatch(path -> path.getFileName().toString().equals("meta.properties"));
            }
            if (!persistent || !formatted) {
                cluster.format();
            }
            cluster.startup();
            cluster.waitForReadyBrokers();
            return new EmbeddedKafka(cluster, persistent);
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
            if (persistent) {
                // The test kit's own close deletes its directory; stopping the servers keeps the data. Bounded: the
                // KRaft controller can wait on itself at shutdown, and the logs recover from an unclean stop anyway.
                Thread stop = new Thread(() -> {
                    cluster.brokers().values().forEach(broker -> broker.shutdown(Duration.ofSeconds(5)));
                    cluster.controllers().values().forEach(controller -> controller.shutdown());
                }, "embedded-kafka-stop");
                stop.setDaemon(true);
                stop.start();
                stop.join(Duration.ofSeconds(10).toMillis());
            } else {
                cluster.close();
            }
        } catch (Exception e) {
            // Stopping is best effort: the JVM is usually exiting and the temp directory goes with it.
        }
    }
}
