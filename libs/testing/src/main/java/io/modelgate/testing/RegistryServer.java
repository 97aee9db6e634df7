package io.modelgate.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.mindrot.jbcrypt.BCrypt;

/**
 * The CNCF distribution registry (Debian package {@code docker-registry}) as a child process on a free loopback port,
 * with a generated configuration: optional htpasswd or token auth, optional notification endpoints.
 */
public final class RegistryServer implements AutoCloseable {

    /** Where Debian installs the registry binary; override with {@code MODELGATE_REGISTRY_BINARY}. */
    public static final String DEFAULT_BINARY = "/usr/bin/docker-registry";

    private final Process process;
    private final int port;
    private final Path workDir;

    private RegistryServer(Process process, int port, Path workDir) {
        this.process = process;
        this.port = port;
        this.workDir = workDir;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Base URL, for example {@code http://127.0.0.1:40123}. */
    public String url() {
        return "http://127.0.0.1:" + port;
    }

    /** Host and port as they appear in image references. */
    public String hostPort() {
        return "127.0.0.1:" + port;
    }

    public Path workDir() {
        return workDir;
    }

    @Override
    public void close() {
        ChildProcesses.stop(process, Duration.ofSeconds(5));
    }

    /** Builds and starts a registry. */
    public static final class Builder {
        private Path storage;
        private int port;
        private String htpasswd;
        private String tokenAuth;
        private final List<String> endpoints = new ArrayList<>();

        /** Keeps blobs in this directory (across restarts); by default a temporary one. */
        public Builder storage(Path storage) {
            this.storage = storage;
            return this;
        }

        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** Requires HTTP Basic auth with this user (bcrypt htpasswd file, as the registry wants). */
        public Builder htpasswd(String user, String password) {
            this.htpasswd = user + ":" + BCrypt.hashpw(password, BCrypt.gensalt(6)) + "\n";
            return this;
        }

        /**
         * Requires Bearer tokens issued by {@code realm} for {@code service}, signed by a key whose certificate chains to
         * the PEM bundle at {@code rootCertBundle}.
         */
        public Builder tokenAuth(String realm, String service, String issuer, Path rootCertBundle) {
            this.tokenAuth = "  token:\n    realm: " + realm + "\n    service: " + service + "\n    issuer: " + issuer
                    + "\n    rootcertbundle: " + rootCertBundle + "\n";
            return this;
        }

        /** Sends the registry's notification envelopes to {@code url} with the given extra headers. */
        public Builder notify(String name, String url, Map<String, String> headers) {
            StringBuilder yaml = new StringBuilder();
            yaml.append("    - name: ").append(name).append('\n');
            yaml.append("      url: ").append(url).append('\n');
            if (!headers.isEmpty()) {
                yaml.append("      headers:\n");
                new LinkedHashMap<>(headers).forEach((k, v) -> yaml.append("        ")
                        .append(k)
                        .append(": [\"")
                        .append(v.replace("\"", "\\\""))
                        .append("\"]\n"));
            }
            yaml.append("      timeout: 2s\n      threshold: 3\n      backoff: 500ms\n");
            // Blob events are noise for model discovery; only manifest events matter.
            yaml.append("      ignoredmediatypes:\n        - application/octet-stream\n");
            endpoints.add(yaml.toString());
            return this;
        }

        public RegistryServer start() {
            String binary = System.getenv().getOrDefault("MODELGATE_REGISTRY_BINARY", DEFAULT_BINARY);
            if (!Files.isExecutable(Path.of(binary))) {
                throw new IllegalStateException("The distribution registry is not installed at " + binary
                        + ": install Debian's docker-registry package (the README's test command does).");
            }
            try {
                Path workDir = Files.createTempDirectory("modelgate-registry");
                Path root = storage != null ? storage : workDir.resolve("storage");
                Files.createDirectories(root);
                int chosenPort = port > 0 ? port : FreePorts.next();
                StringBuilder config = new StringBuilder();
                config.append("version: 0.1\n");
                config.append("log:\n  level: warn\n  accesslog:\n    disabled: true\n");
                config.append("storage:\n  filesystem:\n    rootdirectory: ").append(root).append('\n');
                config.append("  delete:\n    enabled: true\n");
                config.append("http:\n  addr: 127.0.0.1:").append(chosenPort).append('\n');
                config.append("  secret: ").append(UUID.randomUUID()).append('\n');
                if (htpasswd != null || tokenAuth != null) {
                    config.append("auth:\n");
                    if (htpasswd != null) {
                        Path file = workDir.resolve("htpasswd");
                        Files.writeString(file, htpasswd);
                        config.append("  htpasswd:\n    realm: modelgate\n    path: ").append(file).append('\n');
                    } else {
                        config.append(tokenAuth);
                    }
                }
                if (!endpoints.isEmpty()) {
                    config.append("notifications:\n  endpoints:\n");
                    endpoints.forEach(config::append);
                }
                Path configFile = workDir.resolve("config.yml");
                Files.writeString(configFile, config);
                Process process = new ProcessBuilder(binary, "serve", configFile.toString())
                        .redirectErrorStream(true)
                        .redirectOutput(workDir.resolve("registry.log").toFile())
                        .start();
                RegistryServer server = new RegistryServer(process, chosenPort, workDir);
                awaitReady(server);
                return server;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private static void awaitReady(RegistryServer server) {
            // 401 means "up, auth required".
            if (!ChildProcesses.awaitHttp(server.process, URI.create(server.url() + "/v2/"),
                    status -> status == 200 || status == 401, Duration.ofSeconds(15))) {
                boolean exited = !server.process.isAlive();
                server.close();
                throw new IllegalStateException((exited ? "Registry exited early" : "Registry did not become ready")
                        + "; see " + server.workDir.resolve("registry.log"));
            }
        }
    }
}
