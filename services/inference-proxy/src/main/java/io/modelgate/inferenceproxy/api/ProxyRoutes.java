package io.modelgate.inferenceproxy.api;

import java.net.ConnectException;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeoutException;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.modelgate.inferenceproxy.client.ProviderKey;
import io.modelgate.inferenceproxy.client.Upstream;
import io.modelgate.inferenceproxy.config.ProxyConfig;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

/**
 * The OpenAI-compatible endpoints, forwarded to the provider on the event loop without blocking: the client's
 * credentials are checked and removed, the platform's key is added, responses stream back chunk by chunk. Buffered
 * (non-streaming) responses are read whole only to count tokens.
 */
@ApplicationScoped
public class ProxyRoutes {

    private static final Logger LOG = Logger.getLogger(ProxyRoutes.class);
    /**
     * The only client headers forwarded: what describes the request body. Everything else stays behind — the client's
     * credentials, hop-by-hop headers, and headers such as {@code OpenAI-Organization} or {@code OpenAI-Project} that
     * would let a caller choose what the platform's key is billed to.
     */
    private static final Set<String> FORWARDED_REQUEST_HEADERS = Set.of("content-type", "accept", "user-agent");
    /** Provider response headers not passed back: they belong to the provider connection, not the client's. */
    private static final Set<String> DROPPED_RESPONSE_HEADERS = Set.of("content-length", "connection", "keep-alive",
            "transfer-encoding", "te", "trailer", "upgrade", "set-cookie");
    public static final String OVERHEAD_HEADER = "x-modelgate-overhead-ms";

    private final ProxyConfig config;
    private final ProviderKey providerKey;
    private final InboundAuth auth;
    private final ProxyMetrics metrics;
    private final Upstream upstream;

    public ProxyRoutes(ProxyConfig config, ProviderKey providerKey, InboundAuth auth, ProxyMetrics metrics,
            Upstream upstream) {
        this.config = config;
        this.providerKey = providerKey;
        this.auth = auth;
        this.metrics = metrics;
        this.upstream = upstream;
    }

    void routes(@Observes Router router) {
        // Authentication is its own, earlier route: a caller without credentials is refused before any body is read.
        router.route("/v1/*").order(-1).handler(this::authenticate);
        BodyHandler body = BodyHandler.create(false).setBodyLimit(config.maxRequestBytes());
        for (String path : new String[]{"/v1/chat/completions", "/v1/completions", "/v1/embeddings"}) {
            router.post(path).handler(body).handler(this::forward);
        }
        router.get("/v1/models").handler(this::forward);
    }

    private void authenticate(RoutingContext ctx) {
        if (auth.admits(ctx.request().getHeader("Authorization"))) {
            ctx.next();
        } else {
            OpenAiErrors.send(ctx.response(), 401, "invalid_request_error", "invalid_api_key",
                    "A platform token or project API key is required");
        }
    }

    private void forward(RoutingContext ctx) {
        long start = System.nanoTime();
        HttpServerRequest in = ctx.request();
        HttpServerResponse out = ctx.response();
        String endpoint = in.path().substring(4);
        Buffer requestBody = in.method() == HttpMethod.POST ? ctx.body().buffer() : null;
        if (requestBody != null) {
            try {
                requestBody.toJsonObject();
            } catch (RuntimeException e) {
                OpenAiErrors.send(out, 400, "invalid_request_error", "invalid_json",
                        "The request body is not a JSON object");
                return;
            }
        }
        // Tagged with the configured model, never a name from the request: callers must not grow the meter set.
        ProxyMetrics.Meters meters = metrics.of(config.model().orElse("default"), endpoint);

        RequestOptions options = new RequestOptions()
                .setMethod(in.method())
                .setAbsoluteURI(upstream.url(in.uri().substring(3)))
                .setIdleTimeout(config.requestTimeout().toMillis());
        in.headers().forEach(header -> {
            if (FORWARDED_REQUEST_HEADERS.contains(header.getKey().toLowerCase(Locale.ROOT))) {
                options.addHeader(header.getKey(), header.getValue());
            }
        });
        options.putHeader("Authorization", providerKey.authorization());

        long[] sentAt = new long[1];
        upstream.client()
                .request(options)
                .compose(request -> {
                    sentAt[0] = System.nanoTime();
                    return requestBody == null ? request.send() : request.send(requestBody);
                })
                .onSuccess(response -> respond(out, response, meters, start, sentAt[0]))
                .onFailure(error -> fail(out, meters, error));
    }

    private void respond(HttpServerResponse out, HttpClientResponse response, ProxyMetrics.Meters meters, long start,
            long sentAt) {
        long headersAt = System.nanoTime();
        int status = response.statusCode();
        if (status == 401 || status == 403) {
            // The provider refused the platform's key: the client's own credentials were fine.
            response.body().onComplete(ignored -> {
                meters.request("upstream_auth_failed");
                OpenAiErrors.send(out, 502, "upstream_error", "upstream_auth_failed",
                        "The provider rejected the platform's credentials");
            });
            return;
        }
        out.setStatusCode(status);
        response.headers().forEach(header -> {
            if (!DROPPED_RESPONSE_HEADERS.contains(header.getKey().toLowerCase(Locale.ROOT))) {
                out.putHeader(header.getKey(), header.getValue());
            }
        });
        String contentType = response.getHeader("content-type");
        if (contentType != null && contentType.startsWith("text/event-stream")) {
            stream(out, response, meters, start, sentAt, headersAt);
        } else {
            response.body().onSuccess(body -> {
                long upstreamNanos = System.nanoTime() - sentAt;
                long overhead = System.nanoTime() - start - upstreamNanos;
                out.putHeader(OVERHEAD_HEADER, millis(overhead));
                // Metered before the response ends, so a client that has its answer also sees it counted.
                if (status == 200) {
                    countTokens(body, meters);
                }
                meters.timings(upstreamNanos, overhead);
                meters.request(status / 100 + "xx");
                out.end(body);
            }).onFailure(error -> fail(out, meters, error));
        }
    }

    /** Server-sent events go through chunk by chunk, with backpressure; usage is read from the final chunk. */
    private void stream(HttpServerResponse out, HttpClientResponse response, ProxyMetrics.Meters meters, long start,
            long sentAt, long headersAt) {
        // Time to first byte through the proxy, less the provider's own time to first byte.
        long firstByteOverhead = (System.nanoTime() - start) - (headersAt - sentAt);
        out.putHeader(OVERHEAD_HEADER, millis(firstByteOverhead));
        out.setChunked(true);
        UsageScanner usage = new UsageScanner();
        response.handler(chunk -> {
            usage.accept(chunk);
            out.write(chunk);
            if (out.writeQueueFull()) {
                response.pause();
                out.drainHandler(v -> response.resume());
            }
        });
        response.exceptionHandler(error -> fail(out, meters, error));
        // A client that goes away mid-stream must not leave the provider connection paused in the pool.
        out.closeHandler(v -> {
            if (!out.ended()) {
                response.request().reset();
            }
        });
        response.endHandler(v -> {
            meters.tokens(usage.promptTokens(), usage.completionTokens());
            meters.timings(System.nanoTime() - sentAt, firstByteOverhead);
            meters.request(response.statusCode() / 100 + "xx");
            out.end();
        });
    }

    private void fail(HttpServerResponse out, ProxyMetrics.Meters meters, Throwable error) {
        if (error instanceof ConnectException || error.getCause() instanceof ConnectException) {
            meters.request("upstream_unreachable");
            OpenAiErrors.send(out, 502, "upstream_error", "upstream_unreachable", "The provider could not be reached");
        } else if (error instanceof TimeoutException || error.getClass().getSimpleName().contains("Timeout")) {
            meters.request("upstream_timeout");
            OpenAiErrors.send(out, 504, "upstream_error", "upstream_timeout", "The provider did not answer in time");
        } else {
            meters.request("upstream_error");
            LOG.warnf("Upstream exchange failed: %s", error.getClass().getName());
            OpenAiErrors.send(out, 502, "upstream_error", "upstream_error", "The provider exchange failed");
        }
    }

    private static void countTokens(Buffer body, ProxyMetrics.Meters meters) {
        try {
            JsonObject usage = body.toJsonObject().getJsonObject("usage");
            if (usage != null) {
                meters.tokens(usage.getLong("prompt_tokens", 0L), usage.getLong("completion_tokens", 0L));
            }
        } catch (RuntimeException e) {
            // Not JSON, or no usage: nothing to count.
        }
    }

    private static String millis(long nanos) {
        return String.format(Locale.ROOT, "%.3f", Math.max(0, nanos) / 1e6);
    }
}
