package io.modelgate.inferenceproxy.api;

import java.nio.charset.StandardCharsets;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

/**
 * Reads token usage from an OpenAI server-sent event stream as it passes, without holding the stream: only the
 * current, incomplete line is kept, and only {@code data:} lines that mention usage are parsed.
 */
final class UsageScanner {

    private final StringBuilder line = new StringBuilder();
    private long promptTokens;
    private long completionTokens;

    void accept(Buffer chunk) {
        String text = chunk.toString(StandardCharsets.UTF_8);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\n') {
                inspect(line);
                line.setLength(0);
            } else if (line.length() < 1 << 20) {
                line.append(c);
            }
        }
    }

    private void inspect(CharSequence candidate) {
        String data = candidate.toString();
        if (!data.startsWith("data:") || !data.contains("\"usage\"")) {
            return;
        }
        try {
            JsonObject usage = new JsonObject(data.substring(5).strip()).getJsonObject("usage");
            if (usage != null) {
                promptTokens = usage.getLong("prompt_tokens", promptTokens);
                completionTokens = usage.getLong("completion_tokens", completionTokens);
            }
        } catch (RuntimeException e) {
            // A data line that is not JSON (for example "[DONE]"): no usage in it.
        }
    }

    long promptTokens() {
        return promptTokens;
    }

    long completionTokens() {
        return completionTokens;
    }
}
