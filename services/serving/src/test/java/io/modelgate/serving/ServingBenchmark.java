package io.modelgate.serving;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.awaitility.Awaitility;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.modelgate.events.EventTypes;
import io.modelgate.events.ModelApproved;
import io.modelgate.events.ServiceRegistered;
import io.modelgate.events.Topics;
import io.modelgate.platform.security.Roles;
import io.modelgate.serving.client.KServeObjects;
import io.modelgate.serving.domain.Deployment;
import io.modelgate.serving.domain.Phase;
import io.modelgate.serving.messaging.InferenceServiceWatcher;
import io.modelgate.serving.persistence.DeploymentRepository;
import io.modelgate.testing.KubernetesTestResource;
import io.modelgate.testing.ModelgateTestResources;
import io.modelgate.testing.TestTokens;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Prints serving's figures against the fabric8 mock API server (run with {@code bench.sh}): the time from a deploy
 * request to its InferenceService being in the API server, from a Ready status to {@code ServiceRegistered} on Kafka,
 * and a full resync of 1,000 InferenceServices. Asserts correctness only.
 */
@QuarkusTest
@QuarkusTestResource(ModelgateTestResources.class)
@QuarkusTestResource(KubernetesTestResource.class)
class ServingBenchmark {

    static final int DEPLOYS = 200;
    static final int READY = 100;
    static final int RESYNC = 1000;

    @Inject
    InferenceServiceWatcher watcher;

    @Inject
    DeploymentRepository deployments;

    @Inject
    KServeObjects objects;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Test
    void figures() {
        ModelApproved approved = Fixtures.approve("bench", null);
        String ns = "bench";
        String operator = TestTokens.forUser("bench", Roles.OPERATOR);

        // 1. Deploy request -> InferenceService in the API server (the request writes it before answering).
        List<Long> deployMicros = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < DEPLOYS + 20; i++) {
            String name = "b" + i + "-" + UUID.randomUUID().toString().substring(0, 6);
            long start = System.nanoTime();
            given().auth()
                    .oauth2(operator)
                    .contentType(ContentType.JSON)
                    .body(Map.of("name", name, "namespace", ns, "model", Map.of("versionId", approved.versionId()),
                            "runtime", "vllm"))
                    .post("/api/v1/deployments")
                    .then()
                    .statusCode(201);
            long elapsed = (System.nanoTime() - start) / 1000;
            assertThat(Fixtures.isvc(ns, name)).isNotNull();
            if (i >= 20) { // warm-up excluded
                deployMicros.add(elapsed);
                names.add(name);
            }
        }
        print("deploy request -> InferenceService written", deployMicros);

        // 2. Status Ready (written as the KServe controller does) -> ServiceRegistered received from Kafka.
        List<Long> registeredMicros = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = consumer()) {
            for (String name : names.subList(0, READY)) {
                long start = System.nanoTime();
                Fixtures.markReady(ns, name);
                String key = ns + "/" + name;
                boolean seen = false;
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (!seen && System.nanoTime() < deadline) {
                    for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(5))) {
                        if (key.equals(r.key()) && EventTypes.of(ServiceRegistered.class)
                                .type()
                                .equals(
                                        io.modelgate.testing.KafkaTestClient.header(r, "ce_type"))) {
                            seen = true;
                        }
                    }
                }
                assertThat(seen).as("ServiceRegistered for " + key).isTrue();
                registeredMicros.add((System.nanoTime() - start) / 1000);
            }
        }
        print("status Ready -> ServiceRegistered on Kafka", registeredMicros);

        // 3. Full resync of 1,000 Ready InferenceServices that were never announced (a restart after an outage).
        watcher.stop();
        String resyncNs = "resync";
        List<Deployment> rows = new ArrayList<>();
        QuarkusTransaction.requiringNew().run(() -> {
            for (int i = 0; i < RESYNC; i++) {
                Deployment d = new Deployment();
                d.id = UUID.randomUUID();
                d.namespace = resyncNs;
                d.name = "r" + i;
                d.versionId = approved.versionId();
                d.modelName = approved.modelName();
                d.modelVersion = approved.version();
                d.digest = approved.image().digest();
                d.imageReference = approved.image().reference();
                d.runtime = "vllm";
                d.servingRuntime = "kserve-vllmserver";
                d.modelFormat = "vLLM";
                d.deploymentMode = "RawDeployment";
                d.visibility = "internal";
                d.authEnabled = true;
                d.specRevision = 1;
                d.appliedRevision = 1;
                d.createdAt = Instant.now();
                d.createdBy = "bench";
                d.updatedAt = d.createdAt;
                d.updatedBy = "bench";
                d.state.phase = Phase.PENDING;
                deployments.persist(d);
                rows.add(d);
            }
        });
        var client = KubernetesTestResource.cluster().client();
        for (Deployment d : rows) {
            GenericKubernetesResource isvc = objects.inferenceService(d);
            client.genericKubernetesResources(KServeObjects.INFERENCE_SERVICE)
                    .inNamespace(resyncNs)
                    .resource(isvc)
                    .create();
            Fixtures.markReady(resyncNs, d.name);
        }
        String registeredInResync = "select count(*) from outbox_event where record_key like 'resync/%'";
        assertThat(Fixtures.count(registeredInResync)).isZero();
        long start = System.nanoTime();
        watcher.restart();
        Awaitility.await()
                .atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(20))
                .until(() -> Fixtures.count(registeredInResync) == RESYNC);
        long coldMillis = (System.nanoTime() - start) / 1_000_000;
        System.out.printf("BENCH full resync of %d InferenceServices (all Ready, none announced yet): %d ms until "
                + "all %d ServiceRegistered are in the outbox%n", RESYNC, coldMillis, RESYNC);

        long applied = watcher.appliedCount();
        start = System.nanoTime();
        watcher.restart();
        Awaitility.await()
                .atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(20))
                .until(() -> watcher.appliedCount() >= applied + RESYNC && watcher.idle());
        long warmMillis = (System.nanoTime() - start) / 1_000_000;
        assertThat(Fixtures.count(registeredInResync)).isEqualTo(RESYNC);
        System.out.printf("BENCH full resync of %d InferenceServices (nothing changed): %d ms, %d events emitted%n",
                RESYNC, warmMillis, 0);
    }

    private KafkaConsumer<String, byte[]> consumer() {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "bench-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new ByteArrayDeserializer());
        consumer.subscribe(List.of(Topics.SERVING_SERVICES));
        // Join the group and get assignments before measuring.
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> {
            consumer.poll(Duration.ofMillis(100));
            return !consumer.assignment().isEmpty();
        });
        return consumer;
    }

    private static void print(String what, List<Long> micros) {
        List<Long> sorted = new ArrayList<>(micros);
        Collections.sort(sorted);
        System.out.printf("BENCH %s (n=%d): p50 %.1f ms, p99 %.1f ms, max %.1f ms%n", what, sorted.size(),
                sorted.get(sorted.size() / 2) / 1000.0, sorted.get((int) Math.ceil(sorted.size() * 0.99) - 1) / 1000.0,
                sorted.get(sorted.size() - 1) / 1000.0);
    }
}
