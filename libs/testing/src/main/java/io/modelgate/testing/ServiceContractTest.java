package io.modelgate.testing;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import io.restassured.path.json.JsonPath;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/**
 * What every Modelgate service promises operators, checked the same way in each: readiness that covers Kafka and the
 * database, Prometheus metrics with the platform's meters, an OpenAPI document with bearer auth, and a migrated
 * database with the outbox and inbox. A service's test extends it with {@code @QuarkusTest}.
 */
public abstract class ServiceContractTest {

    @Inject
    DataSource dataSource;

    @ConfigProperty(name = "quarkus.application.name")
    String applicationName;

    @Test
    void readinessCoversKafkaAndTheDatabase() {
        JsonPath health = given().get("/q/health/ready").then().statusCode(200).extract().jsonPath();
        assertThat(health.getString("status")).isEqualTo("UP");
        List<String> checks = health.getList("checks.name", String.class);
        assertThat(checks).anyMatch(name -> name.contains("Kafka"));
        assertThat(checks).anyMatch(name -> name.contains("Database"));
    }

    @Test
    void livenessIsUp() {
        given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
    }

    @Test
    void metricsArePrometheusWithThePlatformMeters() {
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(metrics).contains("modelgate_outbox_pending", "jvm_memory_used_bytes",
                "http_server_active_requests");
    }

    @Test
    void openApiDescribesTheServiceWithBearerAuthentication() {
        JsonPath openApi = given().queryParam("format", "json")
                .get("/q/openapi")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(openApi.getString("info.title")).isEqualTo("Modelgate " + applicationName + " API");
        assertThat(openApi.getString("components.securitySchemes.jwt.scheme")).isEqualTo("bearer");
    }

    @Test
    void databaseIsMigratedWithOutboxAndInbox() throws SQLException {
        List<String> tables = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
                ResultSet rs = connection.createStatement()
                        .executeQuery(
                                "select table_name from information_schema.tables where table_schema = 'public'")) {
            while (rs.next()) {
                tables.add(rs.getString(1));
            }
        }
        assertThat(tables).contains("outbox_event", "inbox_event", "flyway_schema_history");
    }
}
