package io.modelgate.serving.client;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;

import jakarta.enterprise.context.ApplicationScoped;

import io.modelgate.serving.config.ServingConfig;
import io.modelgate.serving.domain.Health;

/**
 * Asks an external provider whether it serves the platform's key: {@code GET {endpoint}/models} with the key as a
 * bearer token, the same check the proxy's readiness makes. The key is sent and forgotten, never logged.
 */
@ApplicationScoped
public class ProviderHealthCheck {

    /** The outcome: health and the message shown with it. */
    public record Result(Health health, String message) {
    }

    private final ServingConfig config;
    private final HttpClient http;

    public ProviderHealthCheck(ServingConfig config) {
        this.config = config;
        this.http = HttpClient.newBuilder()
                .connectTimeout(config.external().healthTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    public Result check(String endpointUrl, String apiKey) {
        String base = endpointUrl.endsWith("/") ? endpointUrl.substring(0, endpointUrl.length() - 1) : endpointUrl;
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/models"))
                .timeout(config.external().healthTimeout())
                .header("Authorization", "Bearer " + apiKey)
                .header("Accept", "application/json")
                .GET()
                .build();
        try {
            int status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
            if (status >= 200 && status < 300) {
                return new Result(Health.READY, "ok");
            }
            if (status == 401 || status == 403) {
                return new Result(Health.FAILED, "key invalid");
            }
            if (status == 429) {
                return new Result(Health.FAILED, "quota exhausted");
            }
            return new Result(Health.UNKNOWN, "provider answered HTTP " + status);
        } catch (HttpTimeoutException e) {
            return new Result(Health.FAILED, "unreachable");
        } catch (IOException e) {
            return new Result(Health.FAILED, "unreachable");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(Health.UNKNOWN, "health check interrupted");
        }
    }
}
