package io.modelgate.inferenceproxy.client;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;

/**
 * Readiness includes the provider: {@code GET /models} with the platform's key. Serving reads this for the status of
 * an external service — "key invalid", "quota exhausted", "unreachable". The answer is cached briefly so probes never
 * hammer the provider.
 */
@Readiness
@ApplicationScoped
public class ProviderHealthCheck implements AsyncHealthCheck {

    private static final Duration CACHE = Duration.ofSeconds(10);

    private final Upstream upstream;
    private final ProviderKey key;
    private volatile HealthCheckResponse last;
    private volatile long lastAt;

    public ProviderHealthCheck(Upstream upstream, ProviderKey key) {
        this.upstream = upstream;
        this.key = key;
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        HealthCheckResponse cached = last;
        if (cached != null && System.nanoTime() - lastAt < CACHE.toNanos()) {
            return Uni.createFrom().item(cached);
        }
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET)
                .setAbsoluteURI(upstream.url("/models"))
                .putHeader("Authorization", key.authorization())
                .setIdleTimeout(5000);
        return Uni.createFrom()
                .completionStage(() -> upstream.client()
                        .request(options)
                        .compose(request -> request.send())
                        .compose(response -> response.body().map(body -> response.statusCode()))
                        .toCompletionStage())
                .map(ProviderHealthCheck::fromStatus)
                .onFailure()
                .recoverWithItem(error -> down("unreachable"))
                .invoke(response -> {
                    last = response;
                    lastAt = System.nanoTime();
                });
    }

    private static HealthCheckResponse fromStatus(int status) {
        if (status >= 200 && status < 300) {
            return HealthCheckResponse.named("provider").up().withData("status", status).build();
        }
        if (status == 401 || status == 403) {
            return down("key invalid");
        }
        if (status == 429) {
            return down("quota exhausted");
        }
        return down("provider answered " + status);
    }

    private static HealthCheckResponse down(String reason) {
        return HealthCheckResponse.named("provider").down().withData("reason", reason).build();
    }
}
