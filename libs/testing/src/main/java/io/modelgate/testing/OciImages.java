package io.modelgate.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Pushes small but well-formed OCI images (one tar layer, an image config with labels, manifest annotations) through
 * the Distribution API, the way a client such as skopeo or oras does: blob uploads, then a manifest PUT.
 */
public final class OciImages {

    public static final String MANIFEST_MEDIA_TYPE = "application/vnd.oci.image.manifest.v1+json";
    public static final String CONFIG_MEDIA_TYPE = "application/vnd.oci.image.config.v1+json";
    public static final String LAYER_MEDIA_TYPE = "application/vnd.oci.image.layer.v1.tar";

    private final HttpClient client = HttpClient.newHttpClient();
    private final String registryUrl;
    private final String authorization;

    private OciImages(String registryUrl, String authorization) {
        this.registryUrl = registryUrl;
        this.authorization = authorization;
    }

    public static OciImages anonymous(String registryUrl) {
        return new OciImages(registryUrl, null);
    }

    public static OciImages basic(String registryUrl, String user, String password) {
        String token = Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        return new OciImages(registryUrl, "Basic " + token);
    }

    /** The result of a push: the manifest digest the registry reported and the manifest bytes. */
    public record Pushed(String digest, byte[] manifest) {
    }

    /**
     * Pushes an image with one file {@code model.txt} holding {@code content}; {@code labels} go to the image config,
     * {@code annotations} to the manifest. Returns the manifest digest.
     */
    public Pushed push(String repository, String tag, String content, Map<String, String> labels,
            Map<String, String> annotations) {
        byte[] layer = tar("model.txt", content.getBytes(StandardCharsets.UTF_8));
        String layerDigest = digest(layer);
        String config = "{\"architecture\":\"amd64\",\"os\":\"linux\",\"created\":\"" + Instant.now() + "\","
                + "\"config\":{\"Labels\":" + json(labels) + "},"
                + "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"" + layerDigest + "\"]}}";
        byte[] configBytes = config.getBytes(StandardCharsets.UTF_8);
        uploadBlob(repository, layer);
        uploadBlob(repository, configBytes);
        String manifest = "{\"schemaVersion\":2,\"mediaType\":\"" + MANIFEST_MEDIA_TYPE + "\","
                + "\"config\":{\"mediaType\":\"" + CONFIG_MEDIA_TYPE + "\",\"digest\":\"" + digest(configBytes)
                + "\",\"size\":" + configBytes.length + "},"
                + "\"layers\":[{\"mediaType\":\"" + LAYER_MEDIA_TYPE + "\",\"digest\":\"" + layerDigest
                + "\",\"size\":" + layer.length + "}],"
                + "\"annotations\":" + json(annotations) + "}";
        byte[] manifestBytes = manifest.getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> response = send(request(registryUrl + "/v2/" + repository + "/manifests/" + tag)
                .header("Content-Type", MANIFEST_MEDIA_TYPE)
                .PUT(HttpRequest.BodyPublishers.ofByteArray(manifestBytes)));
        expect(response, 201, "manifest PUT");
        return new Pushed(response.headers().firstValue("Docker-Content-Digest").orElse(digest(manifestBytes)),
                manifestBytes);
    }

    private void uploadBlob(String repository, byte[] blob) {
        HttpResponse<String> start = send(request(registryUrl + "/v2/" + repository + "/blobs/uploads/")
                .POST(HttpRequest.BodyPublishers.noBody()));
        expect(start, 202, "blob upload start");
        String location = start.headers().firstValue("Location").orElseThrow();
        URI target = URI.create(registryUrl).resolve(location);
        String separator = target.getQuery() == null ? "?" : "&";
        HttpResponse<String> put = send(request(target + separator + "digest=" + digest(blob))
                .header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(blob)));
        expect(put, 201, "blob upload");
    }

    private HttpRequest.Builder request(String url) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(url));
        if (authorization != null) {
            builder.header("Authorization", authorization);
        }
        return builder;
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException("Registry request failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void expect(HttpResponse<String> response, int status, String what) {
        if (response.statusCode() != status) {
            throw new IllegalStateException(what + " answered " + response.statusCode() + ": " + response.body());
        }
    }

    public static String digest(byte[] bytes) {
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String json(Map<String, String> map) {
        return map.entrySet()
                .stream()
                .map(e -> quote(e.getKey()) + ":" + quote(e.getValue()))
                .collect(Collectors.joining(",", "{", "}"));
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    /** A POSIX ustar archive with one regular file, so scanners and unpackers accept the layer. */
    static byte[] tar(String name, byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] header = new byte[512];
        put(header, 0, name);
        put(header, 100, "0000644");
        put(header, 108, "0000000");
        put(header, 116, "0000000");
        put(header, 124, String.format("%011o", content.length));
        put(header, 136, String.format("%011o", 0L));
        for (int i = 148; i < 156; i++) {
            header[i] = ' ';
        }
        header[156] = '0';
        put(header, 257, "ustar");
        put(header, 263, "00");
        long sum = 0;
        for (byte b : header) {
            sum += b & 0xff;
        }
        put(header, 148, String.format("%06o", sum));
        header[154] = 0;
        header[155] = ' ';
        out.writeBytes(header);
        out.writeBytes(content);
        out.writeBytes(new byte[(512 - content.length % 512) % 512]);
        out.writeBytes(new byte[1024]);
        return out.toByteArray();
    }

    private static void put(byte[] target, int offset, String value) {
        byte[] bytes = value.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(bytes, 0, target, offset, bytes.length);
    }
}
