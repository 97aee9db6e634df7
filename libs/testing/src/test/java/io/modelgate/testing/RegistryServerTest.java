package io.modelgate.testing;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

class RegistryServerTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path SKOPEO = Path.of("/usr/bin/skopeo");
    private static final Map<String, String> LABELS = Map.of(
            "io.modelgate.model.name", "demo-model",
            "io.modelgate.model.format", "vllm");
    private static final Map<String, String> ANNOTATIONS = Map.of(
            "org.opencontainers.image.title", "Demo model",
            "org.opencontainers.image.version", "1.2.3");

    private static RegistryServer anonymous;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @BeforeAll
    static void startAnonymousRegistry() {
        anonymous = RegistryServer.builder().start();
    }

    @AfterAll
    static void stopAnonymousRegistry() {
        if (anonymous != null) {
            anonymous.close();
        }
    }

    @Test
    void pushedImageIsServedByteForByte() throws Exception {
        String repository = "models/served";
        OciImages.Pushed pushed = OciImages.anonymous(anonymous.url())
                .push(repository, "v1", "weights-v1", LABELS, ANNOTATIONS);

        assertThat(pushed.digest()).matches("sha256:[0-9a-f]{64}")
                .isEqualTo(OciImages.digest(pushed.manifest()));

        HttpResponse<String> tags = get(anonymous.url() + "/v2/" + repository + "/tags/list", Map.of());
        assertThat(tags.statusCode()).isEqualTo(200);
        JsonNode tagList = JSON.readTree(tags.body());
        assertThat(tagList.path("name").asText()).isEqualTo(repository);
        assertThat(texts(tagList.path("tags"))).containsExactly("v1");

        HttpResponse<byte[]> manifest = http.send(
                HttpRequest.newBuilder(URI.create(anonymous.url() + "/v2/" + repository + "/manifests/v1"))
                        .header("Accept", OciImages.MANIFEST_MEDIA_TYPE)
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(manifest.statusCode()).isEqualTo(200);
        assertThat(manifest.body()).isEqualTo(pushed.manifest());
        assertThat(manifest.headers().firstValue("Docker-Content-Digest")).hasValue(pushed.digest());
        assertThat(manifest.headers().firstValue("Content-Type")).hasValue(OciImages.MANIFEST_MEDIA_TYPE);

        // Every blob the manifest references was uploaded under the digest it claims.
        JsonNode parsed = JSON.readTree(pushed.manifest());
        List<JsonNode> descriptors = new ArrayList<>();
        descriptors.add(parsed.path("config"));
        parsed.path("layers").forEach(descriptors::add);
        for (JsonNode descriptor : descriptors) {
            HttpResponse<byte[]> blob = http.send(HttpRequest
                    .newBuilder(URI.create(anonymous.url() + "/v2/" + repository + "/blobs/"
                            + descriptor.path("digest").asText()))
                    .GET()
                    .build(), HttpResponse.BodyHandlers.ofByteArray());
            assertThat(blob.statusCode()).isEqualTo(200);
            assertThat(OciImages.digest(blob.body())).isEqualTo(descriptor.path("digest").asText());
            assertThat((long) blob.body().length).isEqualTo(descriptor.path("size").asLong());
        }
    }

    @Test
    void skopeoAcceptsThePushedImage() throws Exception {
        String repository = "models/skopeo";
        OciImages.Pushed pushed = OciImages.anonymous(anonymous.url())
                .push(repository, "v2", "weights-v2", LABELS, ANNOTATIONS);
        String reference = "docker://" + anonymous.hostPort() + "/" + repository + ":v2";

        JsonNode inspect = JSON.readTree(skopeo("inspect", "--tls-verify=false", reference));
        assertThat(inspect.path("Digest").asText()).isEqualTo(pushed.digest());
        assertThat(texts(inspect.path("RepoTags"))).contains("v2");
        assertThat(inspect.path("Architecture").asText()).isEqualTo("amd64");
        assertThat(inspect.path("Os").asText()).isEqualTo("linux");
        assertThat(JSON.convertValue(inspect.path("Labels"), Map.class)).isEqualTo(LABELS);
        assertThat(inspect.path("Layers")).hasSize(1);

        // The plain inspect shows the config's labels; the manifest annotations are in the raw manifest.
        String raw = skopeo("inspect", "--tls-verify=false", "--raw", reference);
        assertThat(raw.getBytes(StandardCharsets.UTF_8)).isEqualTo(pushed.manifest());
        assertThat(JSON.convertValue(JSON.readTree(raw).path("annotations"), Map.class)).isEqualTo(ANNOTATIONS);
    }

    @Test
    void htpasswdRegistryRequiresTheRightCredentials() throws Exception {
        try (RegistryServer secured = RegistryServer.builder().htpasswd("alice", "correct horse").start()) {
            HttpResponse<String> anonymousPing = get(secured.url() + "/v2/", Map.of());
            assertThat(anonymousPing.statusCode()).isEqualTo(401);
            assertThat(anonymousPing.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(
                    v -> assertThat(v).startsWith("Basic").contains("realm=\"modelgate\""));

            String basic = "Basic " + Base64.getEncoder()
                    .encodeToString("alice:correct horse".getBytes(StandardCharsets.UTF_8));
            assertThat(get(secured.url() + "/v2/", Map.of("Authorization", basic)).statusCode()).isEqualTo(200);

            assertThatThrownBy(() -> OciImages.basic(secured.url(), "alice", "wrong")
                    .push("models/locked", "v1", "x", Map.of(), Map.of()))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("401");
            assertThatThrownBy(() -> OciImages.anonymous(secured.url())
                    .push("models/locked", "v1", "x", Map.of(), Map.of()))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("401");

            OciImages.Pushed pushed = OciImages.basic(secured.url(), "alice", "correct horse")
                    .push("models/locked", "v1", "x", LABELS, ANNOTATIONS);
            assertThat(pushed.digest()).isEqualTo(OciImages.digest(pushed.manifest()));
            HttpResponse<String> tags = get(secured.url() + "/v2/models/locked/tags/list",
                    Map.of("Authorization", basic));
            assertThat(tags.statusCode()).isEqualTo(200);
            assertThat(texts(JSON.readTree(tags.body()).path("tags"))).containsExactly("v1");
        }
    }

    @Test
    void pushIsNotifiedToTheConfiguredEndpoint() throws Exception {
        LinkedBlockingQueue<Received> received = new LinkedBlockingQueue<>();
        HttpServer webhook = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        webhook.createContext("/events", exchange -> {
            try (InputStream in = exchange.getRequestBody()) {
                received.add(new Received(exchange.getRequestMethod(),
                        exchange.getRequestHeaders().getFirst("Content-Type"),
                        exchange.getRequestHeaders().getFirst("Authorization"),
                        new String(in.readAllBytes(), StandardCharsets.UTF_8)));
            }
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        webhook.start();
        String endpoint = "http://127.0.0.1:" + webhook.getAddress().getPort() + "/events";
        try (RegistryServer notifying = RegistryServer.builder()
                .notify("modelgate", endpoint, Map.of("Authorization", "Bearer s3cret"))
                .start()) {
            String repository = "models/notified";
            OciImages.Pushed pushed = OciImages.anonymous(notifying.url())
                    .push(repository, "v7", "weights-v7", LABELS, ANNOTATIONS);

            JsonNode pushEvent = null;
            Received delivery = null;
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (pushEvent == null && System.nanoTime() < deadline) {
                Received next = received.poll(200, TimeUnit.MILLISECONDS);
                if (next == null) {
                    continue;
                }
                for (JsonNode event : JSON.readTree(next.body()).path("events")) {
                    if ("push".equals(event.path("action").asText())
                            && pushed.digest().equals(event.path("target").path("digest").asText())) {
                        pushEvent = event;
                        delivery = next;
                    }
                }
            }

            assertThat(pushEvent).as("a push event for %s within 10 s", pushed.digest()).isNotNull();
            assertThat(delivery.method()).isEqualTo("POST");
            assertThat(delivery.contentType()).isEqualTo("application/vnd.docker.distribution.events.v1+json");
            assertThat(delivery.authorization()).isEqualTo("Bearer s3cret");
            assertThat(delivery.body()).contains("\"push\"", repository, pushed.digest());
            JsonNode target = pushEvent.path("target");
            assertThat(target.path("repository").asText()).isEqualTo(repository);
            assertThat(target.path("tag").asText()).isEqualTo("v7");
            assertThat(target.path("mediaType").asText()).isEqualTo(OciImages.MANIFEST_MEDIA_TYPE);
            assertThat(target.path("size").asLong()).isEqualTo(pushed.manifest().length);
        } finally {
            webhook.stop(0);
        }
    }

    @Test
    void startFailsClearlyWhenThePortIsTaken() throws Exception {
        // Something that accepts connections but never answers HTTP holds the port: the registry cannot bind it.
        try (ServerSocket squatter = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            int port = squatter.getLocalPort();
            long start = System.nanoTime();
            assertTimeoutPreemptively(Duration.ofSeconds(25), () -> assertThatThrownBy(
                    () -> RegistryServer.builder().port(port).start())
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("exited early")
                    .hasMessageContaining("registry.log"));
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20));
        }
    }

    private record Received(String method, String contentType, String authorization, String body) {
    }

    private HttpResponse<String> get(String url, Map<String, String> headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).GET();
        headers.forEach(request::header);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static List<String> texts(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(n -> values.add(n.asText()));
        return values;
    }

    private static String skopeo(String... args) throws IOException, InterruptedException {
        assertThat(SKOPEO).as("skopeo must be installed").isExecutable();
        List<String> command = new ArrayList<>();
        command.add(SKOPEO.toString());
        command.add("--command-timeout=20s");
        command.addAll(List.of(args));
        Path out = Files.createTempFile("skopeo", ".out");
        Path err = Files.createTempFile("skopeo", ".err");
        try {
            Process process = new ProcessBuilder(command)
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile())
                    .start();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("skopeo timed out: " + command);
            }
            String stdout = Files.readString(out);
            assertThat(process.exitValue())
                    .as("skopeo %s exit code; stderr: %s", command, Files.readString(err))
                    .isZero();
            return stdout;
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
