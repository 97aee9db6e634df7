package io.modelgate.scanner.client.trivy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * Installs the test-only Trivy stand-in ({@code src/test/resources/trivy/trivy}) with its fixture reports in a fresh
 * directory and makes it executable; the stand-in logs every call to {@code calls.log} beside it.
 */
public final class TrivyStandIn {

    /** The fixture reports, named as in aquasecurity/trivy's integration test data. */
    public static final List<String> FIXTURES = List.of("alpine-310", "alpine-39-ignore-cveids", "centos-7",
            "debian-buster", "distroless-python27", "npm", "pip", "secrets", "ubuntu-1804", "uv");

    private TrivyStandIn() {
    }

    /** Copies the stand-in and the fixtures into a new temporary directory; returns the stand-in's path. */
    public static Path install() {
        try {
            Path dir = Files.createTempDirectory("trivy-stand-in");
            Files.createDirectories(dir.resolve("reports"));
            copy("/trivy/trivy", dir.resolve("trivy"));
            for (String fixture : FIXTURES) {
                copy("/trivy/reports/" + fixture + ".json", dir.resolve("reports/" + fixture + ".json"));
            }
            if (!dir.resolve("trivy").toFile().setExecutable(true)) {
                throw new IllegalStateException("Could not make the Trivy stand-in executable");
            }
            return dir.resolve("trivy");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A fixture report's bytes. */
    public static byte[] fixture(String name) {
        try (InputStream in = TrivyStandIn.class.getResourceAsStream("/trivy/reports/" + name + ".json")) {
            if (in == null) {
                throw new IllegalArgumentException("No fixture " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The calls the stand-in at {@code binary} has logged whose arguments contain {@code text}. */
    public static long calls(Path binary, String text) {
        Path log = binary.resolveSibling("calls.log");
        try {
            return Files.exists(log) ? Files.readAllLines(log).stream().filter(l -> l.contains(text)).count() : 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void copy(String resource, Path target) throws IOException {
        try (InputStream in = TrivyStandIn.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("Missing test resource " + resource);
            }
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
