package io.modelgate.inferenceproxy.api;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import io.modelgate.inferenceproxy.config.ProxyConfig;
import io.smallrye.jwt.auth.principal.JWTParser;
import io.smallrye.jwt.auth.principal.ParseException;

/**
 * Who may call the proxy: holders of a platform JWT, or of a project API key. Keys are compared as SHA-256 digests in
 * constant time; verified tokens are remembered until they expire, so a client's repeated calls cost one signature
 * check.
 */
@ApplicationScoped
public class InboundAuth {

    private static final int MAX_REMEMBERED_TOKENS = 10_000;

    private final List<byte[]> apiKeyDigests = new ArrayList<>();
    private final boolean jwtEnabled;
    private final JWTParser jwtParser;
    private final Map<String, Long> verifiedTokens = new ConcurrentHashMap<>();

    public InboundAuth(ProxyConfig config, JWTParser jwtParser) {
        config.clientApiKeys().ifPresent(keys -> keys.forEach(this::addKey));
        config.clientApiKeysFile().ifPresent(file -> readLines(file).forEach(this::addKey));
        this.jwtEnabled = config.jwtEnabled();
        this.jwtParser = jwtParser;
    }

    /** Whether the {@code Authorization} header value admits the caller. */
    public boolean admits(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        String credential = authorization.substring(7).strip();
        if (credential.isEmpty()) {
            return false;
        }
        if (!apiKeyDigests.isEmpty()) {
            byte[] digest = sha256(credential);
            for (byte[] known : apiKeyDigests) {
                if (MessageDigest.isEqual(known, digest)) {
                    return true;
                }
            }
        }
        return jwtEnabled && credential.chars().filter(c -> c == '.').count() == 2 && validJwt(credential);
    }

    private boolean validJwt(String token) {
        long now = System.currentTimeMillis() / 1000;
        Long expiry = verifiedTokens.get(token);
        if (expiry != null) {
            if (expiry > now) {
                return true;
            }
            verifiedTokens.remove(token);
        }
        try {
            long exp = jwtParser.parse(token).getExpirationTime();
            if (verifiedTokens.size() >= MAX_REMEMBERED_TOKENS) {
                verifiedTokens.clear();
            }
            verifiedTokens.put(token, exp);
            return true;
        } catch (ParseException e) {
            return false;
        }
    }

    private void addKey(String key) {
        if (!key.isBlank()) {
            apiKeyDigests.add(sha256(key.strip()));
        }
    }

    private static List<String> readLines(String file) {
        try {
            return Files.readAllLines(Path.of(file));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the client API key file " + file, e);
        }
    }

    private static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
