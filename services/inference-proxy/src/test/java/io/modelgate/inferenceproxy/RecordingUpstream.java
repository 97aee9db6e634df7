package io.modelgate.inferenceproxy;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.modelgate.testing.FreePorts;
import io.modelgate.testing.TestTokens;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The provider side of the tests: a local OpenAI-compatible endpoint that records every request it receives (so
 * tests can see exactly what the proxy forwarded) and answers like OpenAI, streaming included. Models named
 * {@code fail-<status>} answer with that status; {@code silent} never answers.
 */
public class RecordingUpstream implements QuarkusTestResourceLifecycleManager {

    public static final String PROVIDER_KEY = "sk-provider-" + "7f3a9c1e5b";
    public static final String PROJECT_KEY = "mg-project-key-for-tests";

    /** A request as the upstream received it. */
    public record Received(String method, String path, MultiMap headers, String body) {
    }

    public static final List<Received> RECEIVED = new CopyOnWriteArrayList<>();
    /** Completed by a streaming test once its client holds the first chunk; the rest is sent only after that. */
    public static volatile CompletableFuture<Void> firstChunkSeen = new CompletableFuture<>();
    public static volatile boolean restSentAfterClientSawFirstChunk;

    private Vertx vertx;
    private HttpServer server;

    @Override
    public Map<String, String> start() {
        vertx = Vertx.vertx();
        int port = FreePorts.next();
        server = vertx.createHttpServer()
                .requestHandler(this::handle)
                .listen(port, "127.0.0.1")
                .toCompletionStage()
                .toCompletableFuture()
                .join();
        return Map.of(
                "modelgate.proxy.upstream-url", "http://127.0.0.1:" + port + "/v1",
                "modelgate.proxy.api-key", PROVIDER_KEY,
                "modelgate.proxy.client-api-keys", PROJECT_KEY,
                "modelgate.proxy.model", "gpt-test",
                "modelgate.proxy.request-timeout", "2s",
                "modelgate.proxy.max-request-bytes", "65536",
                "mp.jwt.verify.publickey", TestTokens.publicKeyPem(),
                "mp.jwt.verify.issuer", TestTokens.ISSUER);
    }

    @Override
    public void stop() {
        server.close();
        vertx.close();
    }

    private void handle(HttpServerRequest request) {
        request.body().onSuccess(buffer -> {
            String body = buffer.toString();
            RECEIVED.add(new Received(request.method().name(), request.path(), MultiMap.caseInsensitiveMultiMap()
                    .addAll(request.headers()), body));
            JsonObject json = body.isEmpty() ? new JsonObject() : new JsonObject(body);
            String model = json.getString("model", "");
            if (model.equals("silent")) {
                return;
            }
            if (model.startsWith("fail-")) {
                int status = Integer.parseInt(model.substring(5));
                request.response()
                        .setStatusCode(status)
                        .putHeader("content-type", "application/json")
                        .end(new JsonObject().put("error", new JsonObject().put("message", "upstream says " + status)
                                .put("type", "server_error")
                                .put("code", "upstream_" + status)).encode());
                return;
            }
            switch (request.path()) {
                case "/v1/chat/completions" -> {
                    if (json.getBoolean("stream", false)) {
                        stream(request, model);
                    } else {
                        json(request, chatCompletion(model));
                    }
                }
                case "/v1/completions" -> json(request, new JsonObject().put("id", "cmpl-1")
                        .put("object",
                                "text_completion")
                        .put("created", 1_700_000_000)
                        .put("model", model)
                        .put("choices", new JsonArray().add(new JsonObject().put("text", "Hello")
                                .put("index", 0)
                                .put("finish_reason", "stop")))
                        .put("usage", usage(5, 1)));
                case "/v1/embeddings" -> json(request, new JsonObject().put("object", "list")
                        .put("model", model)
                        .put("data", new JsonArray().add(new JsonObject().put("object", "embedding")
                                .put("index", 0)
                                .put("embedding", new JsonArray().add(0.1).add(-0.2).add(0.3))))
                        .put("usage", new JsonObject().put("prompt_tokens", 4).put("total_tokens", 4)));
                case "/v1/models" -> json(request, new JsonObject().put("object", "list")
                        .put("data",
                                new JsonArray().add(new JsonObject().put("id", "gpt-test")
                                        .put("object", "model")
                                        .put("created", 1_700_000_000)
                                        .put("owned_by", "provider"))));
                default -> request.response().setStatusCode(404).end();
            }
        });
    }

    private void stream(HttpServerRequest request, String model) {
        var response = request.response().setChunked(true).putHeader("content-type", "text/event-stream");
        response.write(sse(chunk(model, "Hel", null)));
        // Hold the rest until the client has the first chunk: a buffering proxy never gets past this point.
        CompletableFuture<Void> seen = firstChunkSeen;
        vertx.executeBlocking(() -> {
            try {
                seen.get(30, TimeUnit.SECONDS);
                return true;
            } catch (Exception e) {
                return false;
            }
        }).onSuccess(clientSawIt -> {
            restSentAfterClientSawFirstChunk = clientSawIt;
            response.write(sse(chunk(model, "lo", "stop")));
            response.write(sse(new JsonObject().put("id", "chatcmpl-s")
                    .put("object", "chat.completion.chunk")
                    .put("created", 1_700_000_000)
                    .put("model", model)
                    .put("choices", new JsonArray())
                    .put("usage", usage(11, 2))));
            response.end("data: [DONE]\n\n");
        });
    }

    private static JsonObject chunk(String model, String content, String finish) {
        return new JsonObject().put("id", "chatcmpl-s")
                .put("object", "chat.completion.chunk")
                .put("created", 1_700_000_000)
                .put("model", model)
                .put("choices", new JsonArray().add(new JsonObject().put("index", 0)
                        .put("delta", new JsonObject().put("role", "assistant").put("content", content))
                        .put("finish_reason", finish)));
    }

    private static String sse(JsonObject event) {
        return "data: " + event.encode() + "\n\n";
    }

    private static JsonObject chatCompletion(String model) {
        return new JsonObject().put("id", "chatcmpl-1")
                .put("object", "chat.completion")
                .put("created", 1_700_000_000)
                .put("model", model)
                .put("choices", new JsonArray().add(new JsonObject().put("index", 0)
                        .put("message", new JsonObject().put("role", "assistant").put("content", "Hello!"))
                        .put("finish_reason", "stop")))
                .put("usage", usage(9, 3));
    }

    private static JsonObject usage(int prompt, int completion) {
        return new JsonObject().put("prompt_tokens", prompt)
                .put("completion_tokens", completion)
                .put("total_tokens", prompt + completion);
    }

    private static void json(HttpServerRequest request, JsonObject body) {
        request.response().putHeader("content-type", "application/json").end(body.encode());
    }
}
