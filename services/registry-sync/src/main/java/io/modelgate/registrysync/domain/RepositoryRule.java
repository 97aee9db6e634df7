package io.modelgate.registrysync.domain;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.modelgate.registrysync.persistence.JsonConverters;

/** Which repositories and tags of a connection are models to announce. */
@Entity
@Table(name = "repository_rule")
public class RepositoryRule {

    /** How {@link #repository} is matched. */
    public enum RepositoryMatch {
        EXACT, GLOB, REGEX
    }

    /** How tags are chosen. */
    public enum TagFilter {
        /** Every tag. */
        ALL, EXACT, PREFIX, REGEX,
        /** Tags that are SemVer versions within a range ({@code >=1.2.0 <2.0.0}, {@code ^1.2}, {@code 1.x || 3.x}). */
        SEMVER,
        /** The N highest SemVer tags. */
        NEWEST_N
    }

    @Id
    public UUID id;

    @Column(name = "connection_id")
    public UUID connectionId;

    public String name;

    @Enumerated(EnumType.STRING)
    @Column(name = "repository_match")
    public RepositoryMatch repositoryMatch;

    public String repository;

    @Enumerated(EnumType.STRING)
    @Column(name = "tag_filter")
    public TagFilter tagFilter;

    @Column(name = "tag_value")
    public String tagValue;

    @Convert(converter = JsonConverters.Strings.class)
    public List<String> excludes;

    @Convert(converter = JsonConverters.StringMap.class)
    @Column(name = "required_labels")
    public Map<String, String> requiredLabels;

    @Convert(converter = JsonConverters.Strings.class)
    public List<String> platforms;

    public boolean enabled;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "updated_at")
    public Instant updatedAt;
}
