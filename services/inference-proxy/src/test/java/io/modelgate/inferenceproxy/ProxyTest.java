package io.modelgate.inferenceproxy;

import java.net.URL;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.errors.OpenAIServiceException;
import com.openai.errors.UnauthorizedException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.completions.Completion;
import com.openai.models.completions.CompletionCreateParams;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.EmbeddingCreateParams;

import io.modelgate.testing.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

@QuarkusTest
@QuarkusTestResource(RecordingUpstream.class)
class ProxyTest {

    @TestHTTPResource("/v1")
    URL base;

    private final String platformToken = TestTokens.forUser("app", "modelgate-viewer");

    @BeforeEach
    void clear() {
        RecordingUpstream.RECEIVED.clear();
    }

    private OpenAIClient client(String credential) {
        return OpenAIOkHttpClient.builder().baseUrl(base.toString()).apiKey(credential).maxRetries(0).build();
    }

    @Test
    void chatCompletionIsForwardedWithTheProviderKeyInsteadOfTheClients() {
        ChatCompletion completion = client(platformToken).chat()
                .completions()
                .create(ChatCompletionCreateParams
                        .builder()
                        .model("gpt-test")
                        .addUserMessage("Say hello")
                        .build());

        assertThat(completion.choices().get(0).message().content()).contains("Hello!");
        RecordingUpstream.Received received = RecordingUpstream.RECEIVED.get(0);
        assertThat(received.path()).isEqualTo("/v1/chat/completions");
        assertThat(received.headers().get("Authorization")).isEqualTo("Bearer " + RecordingUpstream.PROVIDER_KEY);
        assertThat(received.headers().toString()).doesNotContain(platformToken);
        assertThat(received.body()).contains("Say hello");
    }

    @Test
    void onlyHeadersDescribingTheBodyAreForwarded() {
        given().auth()
                .oauth2(platformToken)
                .contentType("application/json")
                .header("OpenAI-Organization", "org-chosen-by-caller")
                .header("OpenAI-Project", "proj-chosen-by-caller")
                .header("X-Forwarded-For", "10.1.2.3")
                .header("Cookie", "session=abc")
                .body("{\"model\":\"gpt-test\",\"messages\":[]}")
                .post("/v1/chat/completions")
                .then()
                .statusCode(200);
        var headers = RecordingUpstream.RECEIVED.get(0).headers();
        assertThat(headers.names()).map(String::toLowerCase)
                .doesNotContain("openai-organization", "openai-project", "x-forwarded-for", "cookie");
        assertThat(headers.get("Content-Type")).startsWith("application/json");
        assertThat(headers.get("Authorization")).isEqualTo("Bearer " + RecordingUpstream.PROVIDER_KEY);
    }

    @Test
    void projectApiKeysAreAcceptedAndNeverForwarded() {
        CreateEmbeddingResponse embeddings = client(RecordingUpstream.PROJECT_KEY).embeddings()
                .create(EmbeddingCreateParams.builder().model("text-embed").input("a sentence").build());

        assertThat(embeddings.data().get(0).embedding()).hasSize(3);
        RecordingUpstream.Received received = RecordingUpstream.RECEIVED.get(0);
        assertThat(received.path()).isEqualTo("/v1/embeddings");
        assertThat(received.headers().toString()).doesNotContain(RecordingUpstream.PROJECT_KEY);
    }

    @Test
    void completionsAndModelsAreForwarded() {
        Completion completion = client(platformToken).completions()
                .create(CompletionCreateParams.builder().model("gpt-test").prompt("Once").build());
        assertThat(completion.choices().get(0).text()).isEqualTo("Hello");
        assertThat(client(platformToken).models().list().data()).extracting(m -> m.id()).containsExactly("gpt-test");
        assertThat(RecordingUpstream.RECEIVED).extracting(RecordingUpstream.Received::path)
                .containsExactly("/v1/completions", "/v1/models");
    }

    @Test
    void streamingPassesChunksThroughAsTheyArrive() {
        double tokensInBefore = metric("modelgate_proxy_tokens_total{direction=\"in\",model=\"gpt-test\"}");
        RecordingUpstream.firstChunkSeen = new CompletableFuture<>();
        RecordingUpstream.restSentAfterClientSawFirstChunk = false;
        List<String> pieces = new ArrayList<>();
        try (StreamResponse<ChatCompletionChunk> stream = client(platformToken).chat()
                .completions()
                .createStreaming(ChatCompletionCreateParams.builder()
                        .model("gpt-test")
                        .addUserMessage("Hi")
                        .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build())
                        .build())) {
            stream.stream().forEach(chunk -> {
                chunk.choices().forEach(choice -> choice.delta().content().ifPresent(pieces::add));
                // The upstream holds back the rest until this moment.
                RecordingUpstream.firstChunkSeen.complete(null);
            });
        }
        assertThat(String.join("", pieces)).isEqualTo("Hello");
        assertThat(RecordingUpstream.restSentAfterClientSawFirstChunk).isTrue();
        // The usage the upstream put in its final event was read from the passing stream.
        assertThat(metric("modelgate_proxy_tokens_total{direction=\"in\",model=\"gpt-test\"}") - tokensInBefore)
                .isEqualTo(11.0);
    }

    private static double metric(String series) {
        return given().get("/q/metrics")
                .then()
                .statusCode(200)
                .extract()
                .asString()
                .lines()
                .filter(line -> line.startsWith(series + " "))
                .mapToDouble(line -> Double.parseDouble(line.substring(series.length() + 1)))
                .findFirst()
                .orElse(0);
    }

    @Test
    void callersWithoutValidCredentialsAre401() {
        assertThatThrownBy(() -> client("wrong-key").models().list()).isInstanceOf(UnauthorizedException.class);
        String otherIssuer = "eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJ4In0.c2ln";
        given().auth()
                .oauth2(otherIssuer)
                .get("/v1/models")
                .then()
                .statusCode(401)
                .body("error.code", equalTo("invalid_api_key"));
        given().get("/v1/models").then().statusCode(401);
        assertThat(RecordingUpstream.RECEIVED).isEmpty();
    }

    @Test
    void overheadIsReportedInAHeaderAndMetrics() {
        given().auth()
                .oauth2(platformToken)
                .contentType("application/json")
                .body("{\"model\":\"gpt-test\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}")
                .post("/v1/chat/completions")
                .then()
                .statusCode(200)
                .header(io.modelgate.inferenceproxy.api.ProxyRoutes.OVERHEAD_HEADER, not(equalTo(null)));
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(metrics).contains("modelgate_proxy_overhead_seconds", "modelgate_proxy_upstream_latency_seconds",
                "modelgate_proxy_requests_total{endpoint=\"chat/completions\",model=\"gpt-test\",outcome=\"2xx\"}");
    }

    @Test
    void providerErrorsAreMappedToOpenAiErrors() {
        assertThatThrownBy(() -> client(platformToken).chat()
                .completions()
                .create(ChatCompletionCreateParams
                        .builder()
                        .model("fail-500")
                        .addUserMessage("x")
                        .build()))
                .isInstanceOfSatisfying(OpenAIServiceException.class, e -> assertThat(e.statusCode()).isEqualTo(500));
        // The provider refusing the platform's key is not the client's fault, and says nothing of the key.
        given().auth()
                .oauth2(platformToken)
                .contentType("application/json")
                .body("{\"model\":\"fail-401\"}")
                .post("/v1/chat/completions")
                .then()
                .statusCode(502)
                .body("error.code", equalTo("upstream_auth_failed"))
                .body(not(containsString(RecordingUpstream.PROVIDER_KEY)));
        given().auth()
                .oauth2(platformToken)
                .contentType("application/json")
                .body("{\"model\":\"fail-429\"}")
                .post("/v1/chat/completions")
                .then()
                .statusCode(429);
        given().auth()
                .oauth2(platformToken)
                .contentType("application/json")
                .body("{\"model\":\"silent\"}")
                .post("/v1/chat/completions")
                .then()
                .statusCode(504)
                .body("error.code", equalTo("upstream_timeout"));
    }

    @Test
    void badRequestsNeverReachTheProvider() {
        given().auth()
                .oauth2(platformToken)
                .contentType("application/json")
                .body("{not json")
                .post("/v1/chat/completions")
                .then()
                .statusCode(400)
                .body("error.code", equalTo("invalid_json"));
        given().auth()
                .oauth2(platformToken)
                .contentType("application/json")
                .body("{\"model\":\"gpt-test\",\"input\":\"" + "x".repeat(100 * 1024) + "\"}")
                .post("/v1/embeddings")
                .then()
                .statusCode(413);
        assertThat(RecordingUpstream.RECEIVED).isEmpty();
    }

    @Test
    void readinessIncludesTheProvider() {
        given().get("/q/health/ready")
                .then()
                .statusCode(200)
                .body("checks.find { it.name == 'provider' }.status", equalTo("UP"));
    }
}
