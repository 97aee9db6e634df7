package io.modelgate.localstack;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.modelgate.testing.SecretFiles;

/**
 * The Modelgate APIs as the local stack and the demo call them: plain HTTP with a bearer token, JSON in and out, and a
 * clear error naming the call when a service refuses.
 */
final class Platform {

    /** A registry connection and its webhook secret (shown by registry-sync once, kept in the data directory). */
    record Connection(String id, String webhookSecret) {
    }

    /** A service answered with a status other than 2xx. */
    static final class ApiException extends IllegalStateException {
        private final int status;

        ApiException(String message, int status) {
            super(message);
            this.status = status;
        }

        int status() {
            return status;
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Function<String, String> serviceUrl;
    private final String token;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    Platform(Function<String, String> serviceUrl, String token) {
        this.serviceUrl = serviceUrl;
        this.token = token;
    }

    /** The connection named {@code name} to {@code baseUrl}, created on first start; its secret is kept in a file. */
    Connection ensureConnection(String name, String baseUrl, Path secretFile) throws IOException {
        JsonNode existing = null;
        for (JsonNode connection : call("registry-sync", "GET", "/api/v1/connections", null, token)) {
            if (name.equals(connection.path("name").asText())) {
                existing = connection;
            }
        }
        String id;
        String secret;
        if (existing == null) {
            JsonNode created = call("registry-sync", "POST", "/api/v1/connections", JSON.createObjectNode()
                    .put("name", name)
                    .put("type", "DISTRIBUTION")
                    .put("baseUrl", baseUrl)
                    .put("plainHttp", true)
                    // Pushes arrive by webhook; polling stays available through "sync now".
                    .put("pollIntervalSeconds", 0)
                    .put("enabled", true), token);
            id = created.path("connection").path("id").asText();
            secret = created.path("webhookSecret").asText();
        } else {
            id = existing.path("id").asText();
            secret = Files.exists(secretFile) ? Files.readString(secretFile).strip() : null;
            if (secret == null || secret.isEmpty()) {
                secret = call("registry-sync", "POST", "/api/v1/connections/" + id + "/webhook-secret", null, token)
                        .path("webhookSecret")
                        .asText();
            }
        }
        SecretFiles.write(secretFile, secret);
        return new Connection(id, secret);
    }

    /** The AIDB target named {@code name}, registered with model-sync on first start. */
    void ensureTarget(String name, String jdbcUrl, String user) {
        for (JsonNode target : call("model-sync", "GET", "/api/v1/targets", null, token)) {
            if (name.equals(target.path("name").asText())) {
                return;
            }
        }
        call("model-sync", "POST", "/api/v1/targets", JSON.createObjectNode()
                .put("name", name)
                .put("jdbcUrl", jdbcUrl)
                .put("username", user)
                .put("location", "PRIMARY")
                .put("reachable", true)
                .put("enabled", true), token);
    }

    /** Calls a service's API; any status but 2xx fails with the service's problem detail. */
    JsonNode call(String service, String method, String path, Object body, String bearer) {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(serviceUrl.apply(service) + path))
                    .timeout(Duration.ofSeconds(30))
                    .header("Authorization", "Bearer " + bearer)
                    .header("Accept", "application/json");
            if (body == null) {
                request.method(method, HttpRequest.BodyPublishers.noBody());
            } else {
                request.header("Content-Type", "application/json")
                        .method(method, HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)));
            }
            HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            String text = new String(response.body(), StandardCharsets.UTF_8);
            if (response.statusCode() / 100 != 2) {
                throw new ApiException(service + " " + method + " " + path + " answered " + response.statusCode()
                        + ": " + text, response.statusCode());
            }
            return text.isBlank() ? JSON.nullNode() : JSON.readTree(text);
        } catch (IOException e) {
            throw new IllegalStateException(service + " " + method + " " + path + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted", e);
        }
    }

    String url(String service) {
        return serviceUrl.apply(service);
    }

    JsonNode get(String service, String path) {
        return call(service, "GET", path, null, token);
    }

    JsonNode post(String service, String path, Object body) {
        return call(service, "POST", path, body, token);
    }

    static String query(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    static ObjectMapper json() {
        return JSON;
    }
}
