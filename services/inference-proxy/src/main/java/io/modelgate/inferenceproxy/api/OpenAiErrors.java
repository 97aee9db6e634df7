package io.modelgate.inferenceproxy.api;

import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;

/** Errors in the shape OpenAI clients parse: {@code {"error": {"message", "type", "code"}}}. */
final class OpenAiErrors {

    private OpenAiErrors() {
    }

    static void send(HttpServerResponse response, int status, String type, String code, String message) {
        if (response.headWritten()) {
            // Mid-stream: the status is gone; closing tells the client the stream broke.
            response.reset();
            return;
        }
        JsonObject body = new JsonObject().put("error",
                new JsonObject().put("message", message).put("type", type).put("code", code));
        response.setStatusCode(status).putHeader("content-type", "application/json").end(body.toBuffer());
    }
}
