package io.modelgate.inferenceproxy.config;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Settings of the managed proxy ({@code modelgate.proxy.*}); serving sets them when it deploys the proxy. */
@ConfigMapping(prefix = "modelgate.proxy")
public interface ProxyConfig {

    /** openai, openai-compatible, nim or bedrock; all speak the OpenAI API with a bearer key. */
    @WithDefault("openai-compatible")
    String provider();

    /** Base URL of the provider's OpenAI-compatible API, ending before the endpoint (e.g. https://api.openai.com/v1). */
    String upstreamUrl();

    /** The provider key, for local runs; in Kubernetes it comes from a mounted Secret ({@link #apiKeyFile()}). */
    Optional<String> apiKey();

    /** A file holding the provider key (a mounted Secret), read at start-up. */
    Optional<String> apiKeyFile();

    /** The model name clients see in {@code /v1/models}; requests may use it or the provider's own names. */
    Optional<String> model();

    /** Project API keys accepted inbound (besides platform JWTs), or a file with one per line. */
    Optional<List<String>> clientApiKeys();

    Optional<String> clientApiKeysFile();

    /** Whether platform JWTs are accepted inbound. */
    @WithDefault("true")
    boolean jwtEnabled();

    @WithDefault("5s")
    Duration connectTimeout();

    /** Upper bound for a whole upstream exchange; long, because generations stream for minutes. */
    @WithDefault("300s")
    Duration requestTimeout();

    /** Largest request body accepted, in bytes. */
    @WithDefault("10485760")
    long maxRequestBytes();

    /** Upstream connections kept open. */
    @WithDefault("200")
    int maxConnections();
}
