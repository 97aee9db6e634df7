package io.modelgate.inferenceproxy.client;

import jakarta.enterprise.context.ApplicationScoped;

import io.modelgate.inferenceproxy.config.ProxyConfig;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;

/** The provider endpoint and the one pooled, keep-alive HTTP client that talks to it. */
@ApplicationScoped
public class Upstream {

    private final HttpClient client;
    private final String base;

    public Upstream(ProxyConfig config, Vertx vertx) {
        this.base = config.upstreamUrl().replaceAll("/+$", "");
        this.client = vertx.createHttpClient(new HttpClientOptions()
                .setConnectTimeout((int) config.connectTimeout().toMillis())
                .setKeepAlive(true)
                .setTcpNoDelay(true)
                .setVerifyHost(true),
                new PoolOptions().setHttp1MaxSize(config.maxConnections()));
    }

    public HttpClient client() {
        return client;
    }

    /** The absolute URL of {@code path} (e.g. {@code /chat/completions}) at the provider. */
    public String url(String path) {
        return base + path;
    }
}
