package io.modelgate.deployment;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/** The Grafana dashboards query only series the services expose, through the provisioned datasource. */
class DashboardsTest {

    /** What the dashboards must show (issue 9: throughput and lag, scans, approvals, deployments, sync, proxy). */
    static final Set<String> REQUIRED = Set.of("modelgate_outbox_published_total", "modelgate_outbox_pending",
            "modelgate_outbox_lag_seconds", "modelgate_consumer_events_total", "modelgate_consumer_batch_size_sum",
            "kafka_consumer_fetch_manager_records_lag_max", "modelgate_approval_versions",
            "modelgate_sync_results_total", "modelgate_sync_pass_seconds_sum", "modelgate_proxy_requests_total",
            "modelgate_proxy_upstream_latency_seconds", "modelgate_proxy_overhead_seconds",
            "modelgate_proxy_tokens_total", "modelgate_registry_discoveries_total", "modelgate_registry_requests_total",
            "modelgate_registry_sync_runs_total", "http_server_requests_seconds_count");

    static Set<String> allowed;

    @BeforeAll
    static void collectMeterNames() {
        List<Path> sources = new ArrayList<>();
        sources.add(Repo.path("libs/platform/src/main/java"));
        for (Path module : Repo.files(Repo.path("services"), "pom.xml")) {
            Path main = module.getParent().resolve("src/main/java");
            if (main.toFile().isDirectory()) {
                sources.add(main);
            }
        }
        allowed = new TreeSet<>(MeterNames.fromSources(sources));
        allowed.addAll(MeterNames.FRAMEWORK);
    }

    static List<Path> dashboards() {
        return Repo.files(Repo.path("infra/grafana/dashboards"), ".json");
    }

    static String datasourceUid() {
        JsonNode config = Repo.yamlDocuments(Repo.path("infra/grafana/provisioning/datasources/modelgate.yml")).get(0);
        for (JsonNode ds : config.path("datasources")) {
            if (ds.path("type").asText().equals("prometheus")) {
                return ds.path("uid").asText();
            }
        }
        throw new AssertionError("no Prometheus datasource provisioned");
    }

    @Test
    void theAllowlistHoldsTheMetersOfEveryServiceAndThePlatform() {
        assertThat(allowed).contains("modelgate_outbox_published_total", "modelgate_outbox_pending",
                "modelgate_outbox_lag_seconds", "modelgate_consumer_batch_size_count",
                "modelgate_approval_versions", "modelgate_sync_reconcile_last_duration_seconds",
                "modelgate_registry_requests_total", "modelgate_proxy_tokens_total",
                "modelgate_proxy_upstream_latency_seconds");
        assertThat(allowed).doesNotContain("modelgate_outbox_published", "modelgate_registry_images_total");
    }

    @Test
    void everyPanelQueriesOnlyExistingSeriesThroughTheProvisionedDatasource() {
        List<Path> files = dashboards();
        assertThat(files).hasSizeGreaterThanOrEqualTo(3);
        String uid = datasourceUid();
        Set<String> uids = new HashSet<>();
        Set<String> used = new TreeSet<>();
        List<String> problems = new ArrayList<>();
        for (Path file : files) {
            JsonNode dashboard = Repo.json(file);
            String name = Repo.relative(file);
            assertThat(uids.add(dashboard.path("uid").asText())).as(name + " uid unique").isTrue();
            assertThat(dashboard.path("title").asText()).as(name).isNotEmpty();
            problems.addAll(problems(name, dashboard, uid, used));
        }
        assertThat(problems).isEmpty();
        assertThat(used).containsAll(REQUIRED);
    }

    /** Problems of one dashboard; collects the series it reads into {@code used}. */
    static List<String> problems(String name, JsonNode dashboard, String datasourceUid, Set<String> used) {
        List<String> problems = new ArrayList<>();
        int panels = 0;
        for (JsonNode panel : dashboard.path("panels")) {
            if (panel.path("type").asText().equals("row")) {
                continue;
            }
            panels++;
            String at = name + " panel '" + panel.path("title").asText() + "'";
            if (!datasourceUid.equals(panel.path("datasource").path("uid").asText())) {
                problems.add(at + ": datasource is not the provisioned " + datasourceUid);
            }
            if (panel.path("targets").isEmpty()) {
                problems.add(at + ": no query");
            }
            for (JsonNode target : panel.path("targets")) {
                String expr = target.path("expr").asText();
                if (expr.isBlank()) {
                    problems.add(at + ": empty query");
                }
                for (String unknown : MeterNames.unknown(expr, allowed)) {
                    problems.add(at + ": " + unknown + " is no series the services expose");
                }
                used.addAll(MeterNames.inExpression(expr));
            }
        }
        if (panels == 0) {
            problems.add(name + ": no panels");
        }
        return problems;
    }

    @Test
    void aMisspeltOrUnknownSeriesIsCaught() {
        JsonNode dashboard = Repo.json(dashboards().get(0)).deepCopy();
        JsonNode panel = null;
        for (JsonNode p : dashboard.path("panels")) {
            if (!p.path("type").asText().equals("row")) {
                panel = p;
                break;
            }
        }
        ((com.fasterxml.jackson.databind.node.ObjectNode) panel.path("targets").get(0))
                .put("expr", "sum by (app) (rate(modelgate_outbox_publised_total{app=\"scanner\"}[5m]))");
        List<String> problems = problems("broken", dashboard, datasourceUid(), new HashSet<>());
        assertThat(problems).singleElement().asString().contains("modelgate_outbox_publised_total");
        // A counter without _total, as Micrometer never exposes it:
        assertThat(MeterNames.unknown("rate(modelgate_proxy_requests[5m])", allowed))
                .containsExactly("modelgate_proxy_requests");
    }

    @Test
    void expressionsYieldTheirMetricNamesOnly() {
        assertThat(MeterNames.inExpression("sum by (app, uri) (rate(http_server_requests_seconds_count"
                + "{status=~\"5..\", uri!=\"/q/metrics\"}[$__rate_interval])) / ignoring(app) group_left "
                + "max without (pod) (up) > 0.5 * 2e3"))
                .containsExactly("http_server_requests_seconds_count", "up");
        assertThat(MeterNames.fromSource("""
                static final String REQUESTS = "modelgate.x.requests";
                Counter.builder(REQUESTS).register(r);
                meters.timer("modelgate.x.duration");
                Gauge.builder("modelgate.x.last", v, f).baseUnit("seconds").register(r);
                meters.summary("modelgate.x.size", "k", "v");
                VersionView.summary(version, model);
                """)).contains("modelgate_x_requests_total", "modelgate_x_duration_seconds_count",
                "modelgate_x_last_seconds", "modelgate_x_size_sum").doesNotContain("modelgate_x_requests");
    }

    @Test
    void grafanaProvisioningLoadsTheDashboardsFolder() {
        JsonNode providers = Repo.yamlDocuments(Repo.path("infra/grafana/provisioning/dashboards/modelgate.yml"))
                .get(0);
        String path = providers.path("providers").get(0).path("options").path("path").asText();
        JsonNode grafana = ComposeTest.compose().path("services").path("grafana");
        List<String> volumes = new ArrayList<>();
        grafana.path("volumes").forEach(v -> volumes.add(v.asText()));
        assertThat(volumes).contains("./infra/grafana/dashboards:" + path + ":ro",
                "./infra/grafana/provisioning:/etc/grafana/provisioning:ro");
    }
}
