package io.modelgate.bench;

import io.modelgate.testing.EmbeddedKafka;
import io.modelgate.testing.PostgresServer;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;

/** Entry point of the benchmark: starts Kafka and PostgreSQL first, so Quarkus boots against them. */
@QuarkusMain
public class BenchMain {

    public static void main(String... args) {
        EmbeddedKafka kafka = EmbeddedKafka.shared();
        PostgresServer postgres = PostgresServer.shared();
        System.setProperty("kafka.bootstrap.servers", kafka.bootstrapServers());
        System.setProperty("quarkus.datasource.jdbc.url", postgres.createDatabase("bench"));
        System.setProperty("quarkus.datasource.username", PostgresServer.USER);
        Quarkus.run(OutboxBenchmark.class, args);
    }
}
