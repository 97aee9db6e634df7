package io.modelgate.serving.api;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.modelgate.testing.FreePorts;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;

/**
 * The external provider of the tests, which cannot be reached from here: a local OpenAI-compatible {@code /v1/models}
 * that accepts {@link #VALID_KEY}, answers 429 to {@link #EXHAUSTED_KEY} and 401 to anything else, and records the
 * keys it was sent.
 */
final class ProviderStandIn implements AutoCloseable {

    static final String VALID_KEY = "sk-live-" + "5e1f0c9a7b3d";
    static final String EXHAUSTED_KEY = "sk-quota-" + "88aa31f0d2";
    static final String WRONG_KEY = "sk-wrong-" + "0b7c4e21aa";

    final List<String> keysSeen = new CopyOnWriteArrayList<>();
    private final Vertx vertx = Vertx.vertx();
    private final HttpServer server;
    private final int port;

    ProviderStandIn() {
        port = FreePorts.next();
        server = vertx.createHttpServer()
                .requestHandler(request -> {
                    String auth = request.getHeader("Authorization");
                    String key = auth != null && auth.startsWith("Bearer ") ? auth.substring(7) : "";
                    keysSeen.add(key);
                    if (!request.path().equals("/v1/models")) {
                        request.response().setStatusCode(404).end();
                    } else if (key.equals(VALID_KEY)) {
                        request.response()
                                .putHeader("content-type", "application/json")
                                .end("{\"object\":\"list\",\"data\":[{\"id\":\"gpt-4o\",\"object\":\"model\"}]}");
                    } else if (key.equals(EXHAUSTED_KEY)) {
                        request.response().setStatusCode(429).end("{\"error\":{\"code\":\"insufficient_quota\"}}");
                    } else {
                        request.response().setStatusCode(401).end("{\"error\":{\"code\":\"invalid_api_key\"}}");
                    }
                })
                .listen(port, "127.0.0.1")
                .toCompletionStage()
                .toCompletableFuture()
                .join();
    }

    String url() {
        return "http://127.0.0.1:" + port + "/v1";
    }

    @Override
    public void close() {
        server.close();
        vertx.close();
    }
}
