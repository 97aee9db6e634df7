package io.modelgate.deployment;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;

import io.modelgate.deployment.Kustomizations.Resource;
import io.modelgate.deployment.Kustomizations.Tree;
import io.modelgate.testing.KServeSchemas;

import static org.assertj.core.api.Assertions.assertThat;

/** Every manifest under infra/kubernetes: parsed, schema-valid, and consistent with the others and the services. */
class KubernetesManifestsTest {

    /** Created by hand in the cluster (infra/kubernetes/README.md), never committed: name → keys. */
    static final Map<String, Set<String>> EXTERNAL_SECRETS = Map.of("modelgate-secrets",
            Set.of("db-password", "registry-sync-credentials-key", "model-sync-credentials-key"));
    static final Map<String, Set<String>> EXTERNAL_CONFIG_MAPS = Map.of("modelgate-jwt", Set.of("publicKey.pem"));
    static final ManifestChecks CHECKS = new ManifestChecks(EXTERNAL_SECRETS, EXTERNAL_CONFIG_MAPS);

    static final List<String> KUSTOMIZATIONS = List.of("base", "overlays/dev", "overlays/production", "monitoring",
            "serving-runtimes");

    static Path kubernetes() {
        return Repo.path("infra/kubernetes");
    }

    static Tree tree(String kustomization) {
        return Kustomizations.read(kubernetes().resolve(kustomization));
    }

    /** Deployed services: every services/ module with an image, except the proxy, which serving deploys. */
    static List<String> services() {
        try (Stream<Path> dirs = Files.list(Repo.path("services"))) {
            return dirs.filter(d -> Files.exists(d.resolve("src/main/docker/Dockerfile.jvm")))
                    .map(d -> d.getFileName().toString())
                    .filter(name -> !name.equals("inference-proxy"))
                    .sorted()
                    .toList();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void everyYamlFileParsesIntoObjects() {
        List<Path> files = Repo.files(kubernetes(), ".yaml", ".yml");
        assertThat(files).hasSizeGreaterThan(10);
        for (Path file : files) {
            List<JsonNode> docs = Repo.yamlDocuments(file);
            if (file.getFileName().toString().endsWith(".example.yaml")) {
                continue;
            }
            assertThat(docs).as(Repo.relative(file)).isNotEmpty();
            for (JsonNode doc : docs) {
                assertThat(doc.path("apiVersion").asText()).as(Repo.relative(file) + " apiVersion").isNotEmpty();
                assertThat(doc.path("kind").asText()).as(Repo.relative(file) + " kind").isNotEmpty();
            }
        }
    }

    @Test
    void everyManifestBelongsToAKustomization() {
        Set<Path> used = new HashSet<>();
        KUSTOMIZATIONS.forEach(k -> used.addAll(tree(k).files()));
        List<String> orphans = Repo.files(kubernetes(), ".yaml", ".yml")
                .stream()
                .filter(f -> !used.contains(f.toAbsolutePath().normalize()))
                .filter(f -> !f.getFileName().toString().endsWith(".example.yaml"))
                .map(Repo::relative)
                .toList();
        assertThat(orphans).as("files no kustomization uses").isEmpty();
        try (Stream<Path> walk = Files.walk(kubernetes())) {
            List<String> kustomizations = walk.filter(f -> f.getFileName().toString().equals("kustomization.yaml"))
                    .map(f -> kubernetes().relativize(f.getParent()).toString())
                    .sorted()
                    .toList();
            assertThat(kustomizations).containsExactlyInAnyOrderElementsOf(KUSTOMIZATIONS);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"base", "overlays/dev", "overlays/production", "monitoring", "serving-runtimes"})
    void kustomizationResolvesAndEveryObjectMatchesItsSchema(String kustomization) {
        Tree tree = tree(kustomization);
        assertThat(tree.problems()).as(kustomization).isEmpty();
        assertThat(tree.resources()).as(kustomization).isNotEmpty();
        assertThat(ManifestChecks.schemas(tree.resources())).as(kustomization).isEmpty();
        assertThat(ManifestChecks.uniqueness(tree.resources())).as(kustomization).isEmpty();
    }

    @Test
    void baseObjectsReferToEachOtherConsistently() {
        assertThat(CHECKS.all(tree("base").resources())).isEmpty();
    }

    @Test
    void everyServiceRunsFromItsImageInTheNamespace() {
        List<Resource> base = tree("base").resources();
        assertThat(ManifestChecks.find(base, "Namespace", "modelgate")).isPresent();
        for (String service : services()) {
            Resource workload = ManifestChecks.of(base, ManifestChecks.WORKLOADS)
                    .stream()
                    .filter(w -> w.name().equals(service))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no Deployment or StatefulSet for " + service));
            JsonNode container = Kustomizations.containers(workload.node()).get(0);
            assertThat(Kustomizations.repository(container.path("image").asText())).isEqualTo("modelgate/" + service);
            for (String kind : List.of("Service", "ServiceAccount", "PodDisruptionBudget",
                    "HorizontalPodAutoscaler")) {
                assertThat(ManifestChecks.find(base, kind, service)).as(kind + " " + service).isPresent();
            }
            assertThat(ManifestChecks.find(base, "HorizontalPodAutoscaler", service)
                    .get()
                    .node()
                    .path("apiVersion")
                    .asText()).isEqualTo("autoscaling/v2");
        }
        // Kustomize puts every namespaced object in modelgate; the few that name a namespace themselves agree.
        assertThat(tree("base").kustomization().path("namespace").asText()).isEqualTo("modelgate");
        for (Resource r : base) {
            assertThat(r.node().path("metadata").path("namespace").asText("modelgate")).as(r.id())
                    .isEqualTo("modelgate");
        }
    }

    @Test
    void theProxyServingRuntimeIsPartOfTheBaseAndValid() {
        Resource runtime = ManifestChecks.find(tree("base").resources(), "ServingRuntime", "modelgate-proxy")
                .orElseThrow();
        assertThat(runtime.origin()).isEqualTo("infra/kubernetes/serving-runtimes/modelgate-proxy.yaml");
        assertThat(KServeSchemas.violations(runtime.node())).isEmpty();
        assertThat(Kustomizations.repository(Kustomizations.containers(runtime.node()).get(0).path("image").asText()))
                .isEqualTo("modelgate/inference-proxy");
    }

    @Test
    void servingMayManageKServeObjectsAndItsSecretsAndNothingElseHasKubernetesAccess() {
        List<Resource> base = tree("base").resources();
        Set<String> all = Set.of("get", "list", "watch", "create", "update", "patch", "delete");
        assertThat(ManifestChecks.verbs(base, "serving", "serving.kserve.io", "inferenceservices")).containsAll(all);
        assertThat(ManifestChecks.verbs(base, "serving", "serving.kserve.io", "servingruntimes")).containsAll(all);
        assertThat(ManifestChecks.verbs(base, "serving", "serving.kserve.io", "clusterservingruntimes"))
                .contains("get")
                .doesNotContain("create", "update", "delete");
        assertThat(ManifestChecks.verbs(base, "serving", "", "secrets"))
                .contains("get", "create", "update", "delete")
                .as("serving reads its Secrets by name; it never lists other Secrets")
                .doesNotContain("list", "watch");
        assertThat(ManifestChecks.verbs(base, "serving", "", "events")).contains("create");
        for (String service : services()) {
            if (service.equals("serving")) {
                continue;
            }
            assertThat(ManifestChecks.verbs(base, service, "", "secrets")).as(service).isEmpty();
            JsonNode pod = ManifestChecks.of(base, ManifestChecks.WORKLOADS)
                    .stream()
                    .filter(w -> w.name().equals(service))
                    .findFirst()
                    .orElseThrow()
                    .node()
                    .path("spec")
                    .path("template")
                    .path("spec");
            assertThat(pod.path("automountServiceAccountToken").asBoolean(true)).as(service).isFalse();
        }
    }

    @Test
    void theScannerKeepsItsTrivyCacheOnAPersistentVolume() {
        Resource scanner = ManifestChecks.of(tree("base").resources(), ManifestChecks.WORKLOADS)
                .stream()
                .filter(w -> w.name().equals("scanner"))
                .findFirst()
                .orElseThrow();
        JsonNode container = Kustomizations.containers(scanner.node()).get(0);
        String cacheDir = null;
        for (JsonNode env : container.path("env")) {
            if (env.path("name").asText().equals("MODELGATE_SCANNER_TRIVY_CACHE_DIR")) {
                cacheDir = env.path("value").asText();
            }
        }
        assertThat(cacheDir).isNotNull();
        String volume = null;
        for (JsonNode mount : container.path("volumeMounts")) {
            if (mount.path("mountPath").asText().equals(cacheDir)) {
                volume = mount.path("name").asText();
            }
        }
        List<String> claims = new ArrayList<>();
        scanner.node()
                .path("spec")
                .path("volumeClaimTemplates")
                .forEach(c -> claims.add(c.path("metadata").path("name").asText()));
        assertThat(claims).contains(volume);
    }

    @Test
    void overlaysSetReplicasImagesAndAutoscalerBounds() {
        Tree dev = tree("overlays/dev");
        Tree production = tree("overlays/production");
        for (String service : services()) {
            assertThat(replicas(dev, service)).as("dev " + service).isEqualTo(1);
            assertThat(replicas(production, service)).as("production " + service).isGreaterThanOrEqualTo(2);
            assertThat(production.kustomization().path("images").findValuesAsText("name"))
                    .contains("modelgate/" + service);
        }
        // The dev overlay caps every autoscaler at one replica; each production autoscaler gets its own bounds.
        assertThat(dev.patches()).anyMatch(p -> p.content().toString().contains("/spec/maxReplicas")
                && p.target().path("kind").asText().equals("HorizontalPodAutoscaler") && !p.target().has("name"));
        for (String service : services()) {
            assertThat(production.patches()).as(service)
                    .anyMatch(p -> service.equals(p.target().path("name").asText())
                            && p.target().path("kind").asText().equals("HorizontalPodAutoscaler"));
        }
    }

    private static int replicas(Tree tree, String name) {
        for (JsonNode r : tree.kustomization().path("replicas")) {
            if (r.path("name").asText().equals(name)) {
                return r.path("count").asInt();
            }
        }
        throw new AssertionError(tree.dir() + " sets no replicas for " + name);
    }

    @Test
    void externalSecretsAndConfigMapsAreDocumentedWithTheirKeys() {
        String readme = Repo.read(kubernetes().resolve("README.md"));
        assertThat(readme).contains("create secret generic modelgate-secrets",
                "create configmap modelgate-jwt");
        EXTERNAL_SECRETS.forEach((name, keys) -> keys.forEach(key -> assertThat(readme).contains(key)));
        EXTERNAL_CONFIG_MAPS.forEach((name, keys) -> keys.forEach(key -> assertThat(readme).contains(key)));
        // Nothing secret is committed: no Secret object anywhere.
        KUSTOMIZATIONS.forEach(k -> assertThat(tree(k).resources()).noneMatch(r -> r.kind().equals("Secret")));
    }

    @Test
    void theClusterScrapeConfigFollowsThePodAnnotations() {
        Resource config = ManifestChecks.find(tree("monitoring").resources(), "ConfigMap",
                "modelgate-prometheus-scrape").orElseThrow();
        List<JsonNode> jobs = Repo.yamlDocuments(config.node().path("data").path("modelgate-scrape.yml").asText());
        assertThat(jobs).hasSize(1);
        JsonNode job = jobs.get(0).get(0);
        assertThat(job.path("kubernetes_sd_configs").get(0).path("role").asText()).isEqualTo("pod");
        assertThat(job.path("relabel_configs").toString()).contains("prometheus_io_scrape", "prometheus_io_port",
                "prometheus_io_path", "\"target_label\":\"app\"");
    }
}
