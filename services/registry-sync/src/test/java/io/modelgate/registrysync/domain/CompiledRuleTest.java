package io.modelgate.registrysync.domain;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.modelgate.events.Platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CompiledRuleTest {

    private static CompiledRule rule(RepositoryRule.RepositoryMatch match, String repository,
            RepositoryRule.TagFilter filter, String value, List<String> excludes) {
        RepositoryRule rule = new RepositoryRule();
        rule.id = UUID.randomUUID();
        rule.name = "r";
        rule.repositoryMatch = match;
        rule.repository = repository;
        rule.tagFilter = filter;
        rule.tagValue = value;
        rule.excludes = excludes;
        rule.requiredLabels = Map.of("io.modelgate.model.name", "*", "tier", "gold");
        rule.platforms = List.of("linux/amd64");
        return CompiledRule.compile(rule);
    }

    private static final List<String> TAGS = List.of("latest", "1.0.0", "1.2.0", "1.2.5", "v1.3", "2.0.0", "2.0.0-rc.1",
            "3.1.4", "nightly-2026", "1.2.5-debug");

    @Test
    void semverRangesInNpmNotation() {
        var repo = RepositoryRule.RepositoryMatch.EXACT;
        assertThat(rule(repo, "m", RepositoryRule.TagFilter.SEMVER, ">=1.2.0 <2.0.0", List.of()).select("m", TAGS))
                .containsExactly("1.2.0", "1.2.5", "v1.3");
        assertThat(rule(repo, "m", RepositoryRule.TagFilter.SEMVER, "~1.2", List.of()).select("m", TAGS))
                .containsExactly("1.2.0", "1.2.5");
        assertThat(rule(repo, "m", RepositoryRule.TagFilter.SEMVER, "1.x || ^3.0", List.of()).select("m", TAGS))
                .containsExactly("1.0.0", "1.2.0", "1.2.5", "v1.3", "3.1.4");
        assertThat(rule(repo, "m", RepositoryRule.TagFilter.NEWEST_N, "2", List.of()).select("m", TAGS))
                .containsExactly("3.1.4", "2.0.0");
    }

    @Test
    void excludesPrefixRegexAndGlobs() {
        var prefix = rule(RepositoryRule.RepositoryMatch.GLOB, "models/*", RepositoryRule.TagFilter.PREFIX, "1.2",
                List.of(".*-debug"));
        assertThat(prefix.select("models/a", TAGS)).containsExactly("1.2.0", "1.2.5");
        assertThat(prefix.matchesRepository("models/a")).isTrue();
        assertThat(prefix.matchesRepository("models/a/b")).isFalse();
        var deep = rule(RepositoryRule.RepositoryMatch.GLOB, "models/**", RepositoryRule.TagFilter.REGEX,
                "nightly-\\d+", List.of("models/b:.*"));
        assertThat(deep.matchesRepository("models/a/b")).isTrue();
        assertThat(deep.select("models/a", TAGS)).containsExactly("nightly-2026");
        assertThat(deep.select("models/b", TAGS)).isEmpty();
    }

    @Test
    void platformsAndRequiredLabels() {
        var rule = rule(RepositoryRule.RepositoryMatch.EXACT, "m", RepositoryRule.TagFilter.ALL, null, List.of());
        assertThat(rule.admitsPlatform(new Platform("linux", "amd64", null))).isTrue();
        assertThat(rule.admitsPlatform(new Platform("linux", "arm64", "v8"))).isFalse();
        assertThat(rule.missingLabel(Map.of("tier", "gold"), Map.of("io.modelgate.model.name", "x"))).isEmpty();
        assertThat(rule.missingLabel(Map.of("tier", "silver"), Map.of("io.modelgate.model.name", "x")))
                .hasValueSatisfying(m -> assertThat(m).contains("tier"));
        assertThat(rule.missingLabel(Map.of("tier", "gold"), Map.of())).isPresent();
    }

    @Test
    void invalidRulesNameEveryProblem() {
        RepositoryRule bad = new RepositoryRule();
        bad.repositoryMatch = RepositoryRule.RepositoryMatch.REGEX;
        bad.repository = "(";
        bad.tagFilter = RepositoryRule.TagFilter.SEMVER;
        bad.tagValue = "1.2.3 || ";
        bad.platforms = List.of("amd64");
        assertThatThrownBy(() -> CompiledRule.compile(bad)).isInstanceOfSatisfying(
                CompiledRule.InvalidRuleException.class,
                e -> assertThat(e.errors()).extracting(f -> f.field())
                        .containsExactlyInAnyOrder("repository", "tagValue", "platforms[0]"));
    }
}
