package io.modelgate.scanner.domain;

import java.time.Instant;
import java.util.UUID;
import java.util.regex.Pattern;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * An accepted CVE: it does not count against the policy for one digest or for the repositories matching a pattern,
 * until it expires. Reason and owner say who answers for it.
 */
@Entity
@Table(name = "policy_exception")
public class PolicyException {

    @Id
    public UUID id;

    @Column(name = "cve_id")
    public String cveId;

    /** Glob over the repository path ({@code *} any characters, {@code ?} one); null when scoped to a digest. */
    @Column(name = "repository_pattern")
    public String repositoryPattern;

    /** The one digest it covers; null when scoped to a repository pattern. */
    public String digest;

    public String reason;

    public String owner;

    @Column(name = "expires_at")
    public Instant expiresAt;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "created_by")
    public String createdBy;

    /** Whether it still counts at {@code now}. */
    public boolean activeAt(Instant now) {
        return expiresAt.isAfter(now);
    }

    /** Whether it covers {@code vulnerabilityId} in the image {@code repository@imageDigest}. */
    public boolean covers(String vulnerabilityId, String repository, String imageDigest) {
        if (!cveId.equalsIgnoreCase(vulnerabilityId)) {
            return false;
        }
        if (digest != null) {
            return digest.equals(imageDigest);
        }
        return glob(repositoryPattern).matcher(repository).matches();
    }

    static Pattern glob(String pattern) {
        StringBuilder regex = new StringBuilder();
        for (char c : pattern.toCharArray()) {
            switch (c) {
                case '*' -> regex.append(".*");
                case '?' -> regex.append('.');
                default -> regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(regex.toString());
    }
}
