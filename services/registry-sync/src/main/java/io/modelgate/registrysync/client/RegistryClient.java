package io.modelgate.registrysync.client;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.modelgate.registrysync.config.RegistrySyncConfig;

/**
 * A thin OCI Distribution client on {@code java.net.http} (ADR 0006): the {@code /v2/} challenge, Basic and Bearer
 * token auth with a token cache, {@code Link} pagination, manifest HEAD and GET, blobs; retries 5xx and I/O errors with
 * backoff, honours 429 {@code Retry-After}/{@code ratelimit-reset}, and bounds requests in flight per registry.
 */
public final class RegistryClient {

    /** Every manifest type Modelgate reads; sent on HEAD and GET so the registry never converts a manifest. */
    public static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    public static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
    public static final String DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
    public static final String DOCKER_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";
    static final String ACCEPT = String.join(", ", OCI_MANIFEST, OCI_INDEX, DOCKER_MANIFEST, DOCKER_LIST);

    private static final Pattern LINK_NEXT = Pattern.compile("<([^>]+)>\\s*;\\s*rel=\"?next\"?");
    private static final Pattern CHALLENGE_PARAM = Pattern.compile("(\\w+)=\"([^\"]*)\"");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final RegistryEndpoint endpoint;
    private final URI base;
    private final RegistrySyncConfig.Client settings;
    private final RegistryMetrics metrics;
    private final HttpClient http;
    private final Semaphore inFlight;
    private final Map<String, Token> tokens = new ConcurrentHashMap<>();
    private volatile Challenge challenge;

    private record Challenge(String scheme, String realm, String service) {
    }

    private record Token(String value, Instant refreshAt) {
    }

    private record Response(int status, byte[] body, Map<String, List<String>> headers) {
        Optional<String> header(String name) {
            for (var e : headers.entrySet()) {
                if (e.getKey().equalsIgnoreCase(name) && !e.getValue().isEmpty()) {
                    return Optional.of(e.getValue().get(0));
                }
            }
            return Optional.empty();
        }
    }

    public RegistryClient(RegistryEndpoint endpoint, RegistrySyncConfig.Client settings, RegistryMetrics metrics) {
        this.endpoint = endpoint;
        String url = endpoint.baseUrl().endsWith("/") ? endpoint.baseUrl() : endpoint.baseUrl() + "/";
        this.base = URI.create(url);
        this.settings = settings;
        this.metrics = metrics;
        this.inFlight = new Semaphore(Math.max(1, settings.maxConcurrency()));
        HttpClient.Builder builder = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(settings.connectTimeout())
                .followRedirects(HttpClient.Redirect.NORMAL);
        if ("https".equalsIgnoreCase(base.getScheme())) {
            builder.sslContext(sslContext(endpoint));
        }
        this.http = builder.build();
    }

    /** Checks that the registry speaks the Distribution API and that the credentials are accepted. */
    public void ping() {
        Response response = send("ping", "GET", base.resolve("v2/"), null, null, true);
        if (response.status() != 200) {
            throw failure("ping", response);
        }
    }

    /** Every repository from {@code _catalog}, following {@code Link}; empty when the registry offers no catalog. */
    public Optional<List<String>> catalog() {
        List<String> repositories = new ArrayList<>();
        URI next = base.resolve("v2/_catalog?n=" + settings.pageSize());
        while (next != null) {
            Response response = send("catalog", "GET", next, "registry:catalog:*", null, true);
            if (response.status() == 404 || response.status() == 401 || response.status() == 403
                    || response.status() == 405) {
                // Docker Hub, ECR and others have no catalog (or not for these credentials): exact rules name repos.
                return Optional.empty();
            }
            if (response.status() != 200) {
                throw failure("catalog", response);
            }
            json(response).path("repositories").forEach(node -> repositories.add(node.asText()));
            next = nextPage(response);
        }
        return Optional.of(repositories);
    }

    /** Every tag of a repository, following {@code Link}; empty when the repository does not exist. */
    public List<String> tags(String repository) {
        List<String> tags = new ArrayList<>();
        URI next = base.resolve("v2/" + repository + "/tags/list?n=" + settings.pageSize());
        while (next != null) {
            Response response = send("tags", "GET", next, pullScope(repository), null, true);
            if (response.status() == 404) {
                return tags;
            }
            if (response.status() != 200) {
                throw failure("tags of " + repository, response);
            }
            JsonNode list = json(response).path("tags");
            list.forEach(node -> tags.add(node.asText()));
            next = nextPage(response);
        }
        return tags;
    }

    /** The digest a tag or digest resolves to, by HEAD (no manifest body, no pull counted by Docker Hub). */
    public Optional<Descriptor> head(String repository, String reference) {
        Response response = send("head", "HEAD", manifestUri(repository, reference), pullScope(repository), ACCEPT,
                false);
        if (response.status() == 404) {
            return Optional.empty();
        }
        if (response.status() != 200) {
            throw failure("HEAD " + repository + ":" + reference, response);
        }
        String digest = response.header("Docker-Content-Digest").orElse(null);
        if (digest == null) {
            // Some registries omit the digest on HEAD; the GET computes it.
            Document document = manifest(repository, reference);
            return Optional.of(new Descriptor(document.digest(), document.mediaType(), document.body().length));
        }
        return Optional.of(new Descriptor(digest, response.header("Content-Type").orElse(null),
                response.header("Content-Length").map(Long::parseLong).orElse(0L)));
    }

    /** A manifest or index by tag or digest; its digest is computed from the bytes and checked against the header. */
    public Document manifest(String repository, String reference) {
        Response response = send("manifest", "GET", manifestUri(repository, reference), pullScope(repository), ACCEPT,
                true);
        if (response.status() != 200) {
            throw failure("manifest " + repository + ":" + reference, response);
        }
        String computed = Digests.sha256(response.body());
        String header = response.header("Docker-Content-Digest").orElse(computed);
        if (reference.startsWith("sha256:") && !reference.equals(computed)) {
            throw new RegistryException(response.status(), "manifest " + repository + "@" + reference
                    + " does not match its digest (" + computed + ")");
        }
        String mediaType = response.header("Content-Type").orElse(null);
        if (mediaType != null) {
            mediaType = mediaType.split(";")[0].trim();
        }
        return new Document(response.body(), mediaType, header.startsWith("sha256:") ? computed : header);
    }

    /** A blob (an image config) by digest, verified against it. */
    public byte[] blob(String repository, String digest) {
        Response response = send("blob", "GET", base.resolve("v2/" + repository + "/blobs/" + digest),
                pullScope(repository), null, true);
        if (response.status() != 200) {
            throw failure("blob " + repository + "@" + digest, response);
        }
        if (digest.startsWith("sha256:") && !digest.equals(Digests.sha256(response.body()))) {
            throw new RegistryException(200, "blob " + repository + "@" + digest + " does not match its digest");
        }
        return response.body();
    }

    private URI manifestUri(String repository, String reference) {
        return base.resolve("v2/" + repository + "/manifests/" + reference);
    }

    private static String pullScope(String repository) {
        return "repository:" + repository + ":pull";
    }

    private URI nextPage(Response response) {
        return response.header("Link").map(link -> {
            Matcher m = LINK_NEXT.matcher(link);
            return m.find() ? base.resolve(m.group(1).startsWith("/") ? m.group(1).substring(1) : m.group(1)) : null;
        }).orElse(null);
    }

    private static JsonNode json(Response response) {
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new RegistryException(response.status(), "registry answered malformed JSON");
        }
    }

    private static RegistryException failure(String what, Response response) {
        String detail = "";
        if (response.body() != null && response.body().length > 0) {
            try {
                JsonNode errors = JSON.readTree(response.body()).path("errors");
                if (errors.isArray() && !errors.isEmpty()) {
                    detail = ": " + errors.get(0).path("code").asText() + " " + errors.get(0).path("message").asText();
                }
            } catch (IOException e) {
                // Not an OCI error body; the status says enough.
            }
        }
        return new RegistryException(response.status(), what + " answered " + response.status() + detail);
    }

    /**
     * One request with authentication, retries and the in-flight bound. A 401 that names a new scheme or scope is
     * answered once with fresh credentials; 429, 5xx and I/O errors are retried with backoff.
     */
    private Response send(String kind, String method, URI uri, String scope, String accept, boolean readBody) {
        boolean reauthenticated = false;
        int attempt = 0;
        while (true) {
            attempt++;
            Response response;
            try {
                response = exchange(kind, method, uri, scope, accept, readBody);
            } catch (IOException e) {
                metrics.request(kind, "io-error");
                if (attempt >= settings.maxAttempts()) {
                    throw new RegistryException(kind + " " + uri.getHost() + ": registry unreachable after " + attempt
                            + " attempts (" + e.getClass().getSimpleName() + ")", e);
                }
                sleep(backoff(attempt));
                continue;
            }
            metrics.request(kind, Integer.toString(response.status()));
            int status = response.status();
            if (status == 401 && !reauthenticated) {
                Optional<String> header = response.header("WWW-Authenticate");
                if (header.isPresent() && learn(header.get(), scope)) {
                    reauthenticated = true;
                    attempt--;
                    continue;
                }
            }
            if ((status == 429 || status >= 500) && attempt < settings.maxAttempts()) {
                Duration wait = status == 429 ? retryAfter(response).orElse(backoff(attempt)) : backoff(attempt);
                if (wait.compareTo(settings.maxBackoff()) > 0) {
                    throw new RegistryException(status,
                            kind + " rate limited: registry asks to wait " + wait.toSeconds()
                                    + " s, more than the " + settings.maxBackoff().toSeconds() + " s allowed");
                }
                sleep(wait);
                continue;
            }
            return response;
        }
    }

    private Response exchange(String kind, String method, URI uri, String scope, String accept, boolean readBody)
            throws IOException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .timeout(settings.requestTimeout())
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (accept != null) {
            request.header("Accept", accept);
        }
        authorization(scope).ifPresent(value -> request.header("Authorization", value));
        try {
            inFlight.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RegistryException(kind + " interrupted", e);
        }
        try {
            if (!readBody) {
                // A HEAD has no body. Discarding lets the client return the connection to its keep-alive pool as soon
                // as the response ends; closing an input stream before the client has seen the end drops the
                // connection instead (measured: about one HEAD in six opened a new TCP connection that way).
                HttpResponse<Void> response = http.send(request.build(), HttpResponse.BodyHandlers.discarding());
                return new Response(response.statusCode(), new byte[0], response.headers().map());
            }
            HttpResponse<InputStream> response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
            byte[] body;
            try (InputStream in = response.body()) {
                body = in.readNBytes(settings.maxDocumentBytes() + 1);
                if (body.length > settings.maxDocumentBytes()) {
                    throw new RegistryException(response.statusCode(),
                            kind + " " + uri.getPath() + " is larger than " + settings.maxDocumentBytes() + " bytes");
                }
            }
            return new Response(response.statusCode(), body, response.headers().map());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RegistryException(kind + " interrupted", e);
        } finally {
            inFlight.release();
        }
    }

    private Optional<String> authorization(String scope) {
        Challenge known = challenge;
        if (endpoint.secret() != null && endpoint.username() == null) {
            // A token credential is presented as is (registry tokens, identity tokens).
            return Optional.of("Bearer " + endpoint.secret());
        }
        if (known == null || endpoint.secret() == null && !"bearer".equals(known.scheme())) {
            return Optional.empty();
        }
        if ("basic".equals(known.scheme())) {
            return Optional.of(basic());
        }
        if ("bearer".equals(known.scheme()) && scope != null) {
            Token token = tokens.get(scope);
            if (token == null || Instant.now().isAfter(token.refreshAt())) {
                token = fetchToken(known, scope);
            }
            return Optional.of("Bearer " + token.value());
        }
        return Optional.empty();
    }

    private String basic() {
        return "Basic " + Base64.getEncoder()
                .encodeToString((endpoint.username() + ":" + endpoint.secret()).getBytes(StandardCharsets.UTF_8));
    }

    /** Reads a challenge; true when it tells something new to try (a scheme first seen, or a token to refresh). */
    private boolean learn(String header, String scope) {
        String scheme = header.trim().split("\\s+", 2)[0].toLowerCase(Locale.ROOT);
        Map<String, String> params = new LinkedHashMap<>();
        Matcher m = CHALLENGE_PARAM.matcher(header);
        while (m.find()) {
            params.put(m.group(1).toLowerCase(Locale.ROOT), m.group(2));
        }
        Challenge previous = challenge;
        Challenge learned = new Challenge(scheme, params.get("realm"), params.get("service"));
        challenge = learned;
        if ("bearer".equals(scheme)) {
            if (endpoint.secret() != null && endpoint.username() == null) {
                return false;
            }
            if (learned.realm() == null) {
                return false;
            }
            String wanted = params.getOrDefault("scope", scope);
            if (wanted == null) {
                return false;
            }
            // The cached token was refused (expired early, or revoked): fetch a fresh one, once.
            tokens.remove(wanted);
            return true;
        }
        return "basic".equals(scheme) && endpoint.secret() != null
                && (previous == null || !"basic".equals(previous.scheme()));
    }

    private Token fetchToken(Challenge known, String scope) {
        StringBuilder url = new StringBuilder(known.realm());
        url.append(known.realm().contains("?") ? '&' : '?');
        if (known.service() != null) {
            url.append("service=").append(URLEncoder.encode(known.service(), StandardCharsets.UTF_8)).append('&');
        }
        url.append("scope=").append(URLEncoder.encode(scope, StandardCharsets.UTF_8));
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url.toString()))
                .timeout(settings.requestTimeout())
                .GET();
        if (endpoint.secret() != null) {
            request.header("Authorization", basic());
        }
        int attempt = 0;
        while (true) {
            attempt++;
            try {
                HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
                metrics.request("token", Integer.toString(response.statusCode()));
                if (response.statusCode() >= 500 && attempt < settings.maxAttempts()) {
                    sleep(backoff(attempt));
                    continue;
                }
                if (response.statusCode() != 200) {
                    throw new RegistryException(response.statusCode(),
                            "token endpoint answered " + response.statusCode() + " for scope " + scope);
                }
                JsonNode body = JSON.readTree(response.body());
                String value = body.hasNonNull("token")
                        ? body.get("token").asText()
                        : body.path("access_token").asText(null);
                if (value == null || value.isEmpty()) {
                    throw new RegistryException(200, "token endpoint answered without a token");
                }
                long lifetime = body.path("expires_in").asLong(60);
                Instant issued = Instant.now();
                // Refresh before expiry: at 80 % of the lifetime, so a token never expires between check and use.
                Token token = new Token(value, issued.plusMillis(lifetime * 800));
                tokens.put(scope, token);
                return token;
            } catch (IOException e) {
                metrics.request("token", "io-error");
                if (attempt >= settings.maxAttempts()) {
                    throw new RegistryException("token endpoint unreachable", e);
                }
                sleep(backoff(attempt));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RegistryException("token request interrupted", e);
            }
        }
    }

    /** {@code Retry-After} (seconds or HTTP date), else {@code ratelimit-reset} (seconds), as Docker Hub sends. */
    static Optional<Duration> retryAfter(Response response) {
        Optional<String> value = response.header("Retry-After");
        if (value.isPresent()) {
            String v = value.get().trim();
            try {
                return Optional.of(Duration.ofSeconds(Long.parseLong(v)));
            } catch (NumberFormatException e) {
                try {
                    Instant at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                    Duration wait = Duration.between(Instant.now(), at);
                    return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
                } catch (RuntimeException ignored) {
                    // Unparseable: fall back to backoff.
                }
            }
        }
        return response.header("ratelimit-reset").flatMap(v -> {
            try {
                return Optional.of(Duration.ofSeconds(Long.parseLong(v.split(";")[0].trim())));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        });
    }

    private Duration backoff(int attempt) {
        long base = settings.initialBackoff().toMillis() << Math.min(attempt - 1, 16);
        long capped = Math.min(base, settings.maxBackoff().toMillis());
        return Duration.ofMillis(capped / 2 + ThreadLocalRandom.current().nextLong(capped / 2 + 1));
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RegistryException("interrupted while backing off", e);
        }
    }

    private static SSLContext sslContext(RegistryEndpoint endpoint) {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            if (endpoint.skipTlsVerify()) {
                context.init(null, new TrustManager[]{new TrustEverything()}, null);
            } else if (endpoint.caCertificatePem() != null && !endpoint.caCertificatePem().isBlank()) {
                KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
                store.load(null, null);
                int i = 0;
                for (Certificate certificate : CertificateFactory.getInstance("X.509")
                        .generateCertificates(new ByteArrayInputStream(
                                endpoint.caCertificatePem().getBytes(StandardCharsets.US_ASCII)))) {
                    store.setCertificateEntry("ca-" + i++, certificate);
                }
                TrustManagerFactory factory = TrustManagerFactory
                        .getInstance(TrustManagerFactory.getDefaultAlgorithm());
                factory.init(store);
                context.init(null, factory.getTrustManagers(), null);
            } else {
                return SSLContext.getDefault();
            }
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalArgumentException("TLS settings are unusable: " + e.getMessage());
        }
    }

    /** Only when a connection sets {@code skipTlsVerify} explicitly; checks neither chain nor host name. */
    private static final class TrustEverything extends X509ExtendedTrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
