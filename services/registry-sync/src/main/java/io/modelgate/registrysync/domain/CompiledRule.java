package io.modelgate.registrysync.domain;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import org.semver4j.RangesList;
import org.semver4j.RangesListFactory;
import org.semver4j.Semver;

import io.modelgate.events.Platform;
import io.modelgate.platform.problem.Problem;
import io.modelgate.registrysync.domain.RepositoryRule.RepositoryMatch;
import io.modelgate.registrysync.domain.RepositoryRule.TagFilter;

/**
 * A repository rule ready to match: patterns compiled and the SemVer range parsed once. {@link #compile} also validates
 * a rule, naming every problem, so an invalid rule is refused with 400 before it is stored.
 */
public final class CompiledRule {

    /** One SemVer comparator as npm writes it: {@code >=1.2.0}, {@code ^1.2}, {@code ~1.2}, {@code 1.x}, {@code *}. */
    private static final Pattern RANGE_TOKEN = Pattern
            .compile("(>=|<=|>|<|=|\\^|~)?v?(\\d+|[xX*])(\\.(\\d+|[xX*])){0,2}(-[0-9A-Za-z.-]+)?(\\+[0-9A-Za-z.-]+)?");
    private static final Pattern SEMVER_TAG = Pattern.compile("v?\\d+(\\.\\d+){0,2}([-+][0-9A-Za-z.+-]*)?");

    private final UUID id;
    private final String name;
    private final RepositoryMatch repositoryMatch;
    private final String repository;
    private final Pattern repositoryPattern;
    private final TagFilter tagFilter;
    private final String tagValue;
    private final Pattern tagPattern;
    private final RangesList range;
    private final int newest;
    private final List<Pattern> excludes;
    private final Map<String, String> requiredLabels;
    private final List<Platform> platforms;

    /** A rule that does not compile; each error names its field. */
    public static class InvalidRuleException extends RuntimeException {
        private final List<Problem.FieldError> errors;

        public InvalidRuleException(List<Problem.FieldError> errors) {
            super(errors.stream().map(e -> e.field() + ": " + e.message()).reduce((a, b) -> a + "; " + b).orElse(""));
            this.errors = errors;
        }

        public List<Problem.FieldError> errors() {
            return errors;
        }
    }

    private CompiledRule(RepositoryRule rule, Pattern repositoryPattern, Pattern tagPattern, RangesList range,
            int newest, List<Pattern> excludes, List<Platform> platforms) {
        this.id = rule.id;
        this.name = rule.name;
        this.repositoryMatch = rule.repositoryMatch;
        this.repository = rule.repository;
        this.repositoryPattern = repositoryPattern;
        this.tagFilter = rule.tagFilter;
        this.tagValue = rule.tagValue;
        this.tagPattern = tagPattern;
        this.range = range;
        this.newest = newest;
        this.excludes = excludes;
        this.requiredLabels = rule.requiredLabels == null ? Map.of() : new LinkedHashMap<>(rule.requiredLabels);
        this.platforms = platforms;
    }

    /** Compiles a rule, or throws {@link InvalidRuleException} naming each problem. */
    public static CompiledRule compile(RepositoryRule rule) {
        List<Problem.FieldError> errors = new ArrayList<>();
        Pattern repositoryPattern = null;
        if (rule.repository == null || rule.repository.isBlank()) {
            errors.add(new Problem.FieldError("repository", "must not be blank"));
        } else if (rule.repositoryMatch == RepositoryMatch.REGEX) {
            repositoryPattern = regex(rule.repository, "repository", errors);
        } else if (rule.repositoryMatch == RepositoryMatch.GLOB) {
            repositoryPattern = glob(rule.repository);
        }
        Pattern tagPattern = null;
        RangesList range = null;
        int newest = 0;
        boolean needsValue = rule.tagFilter != TagFilter.ALL;
        if (needsValue && (rule.tagValue == null || rule.tagValue.isBlank())) {
            errors.add(new Problem.FieldError("tagValue", "is required for tag filter " + rule.tagFilter));
        } else if (rule.tagFilter == TagFilter.REGEX) {
            tagPattern = regex(rule.tagValue, "tagValue", errors);
        } else if (rule.tagFilter == TagFilter.SEMVER) {
            range = semverRange(rule.tagValue, errors);
        } else if (rule.tagFilter == TagFilter.NEWEST_N) {
            try {
                newest = Integer.parseInt(rule.tagValue.trim());
                if (newest < 1 || newest > 1000) {
                    errors.add(new Problem.FieldError("tagValue", "NEWEST_N needs a count from 1 to 1000"));
                }
            } catch (NumberFormatException e) {
                errors.add(new Problem.FieldError("tagValue", "NEWEST_N needs a count, not '" + rule.tagValue + "'"));
            }
        }
        List<Pattern> excludes = new ArrayList<>();
        List<String> given = rule.excludes == null ? List.of() : rule.excludes;
        for (int i = 0; i < given.size(); i++) {
            Pattern p = regex(given.get(i), "excludes[" + i + "]", errors);
            if (p != null) {
                excludes.add(p);
            }
        }
        List<Platform> platforms = new ArrayList<>();
        List<String> wanted = rule.platforms == null ? List.of() : rule.platforms;
        for (int i = 0; i < wanted.size(); i++) {
            try {
                platforms.add(Platform.parse(wanted.get(i)));
            } catch (IllegalArgumentException e) {
                errors.add(new Problem.FieldError("platforms[" + i + "]", "must be os/architecture[/variant]"));
            }
        }
        if (!errors.isEmpty()) {
            throw new InvalidRuleException(errors);
        }
        return new CompiledRule(rule, repositoryPattern, tagPattern, range, newest, excludes, platforms);
    }

    private static Pattern regex(String value, String field, List<Problem.FieldError> errors) {
        try {
            return Pattern.compile(value);
        } catch (PatternSyntaxException e) {
            errors.add(new Problem.FieldError(field, "is not a valid regular expression: " + e.getDescription()
                    + " near index " + e.getIndex()));
            return null;
        }
    }

    /** {@code *} within a path segment, {@code **} across segments, {@code ?} one character. */
    static Pattern glob(String glob) {
        StringBuilder regex = new StringBuilder();
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            if (c == '*') {
                if (i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
                    regex.append(".*");
                    i++;
                } else {
                    regex.append("[^/]*");
                }
            } else if (c == '?') {
                regex.append("[^/]");
            } else {
                regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(regex.toString());
    }

    private static RangesList semverRange(String value, List<Problem.FieldError> errors) {
        // semver4j silently drops what it cannot parse; check every comparator first so a typo is an error.
        for (String alternative : value.split("\\|\\|", -1)) {
            String[] tokens = alternative.trim().split("\\s+");
            if (alternative.isBlank()) {
                errors.add(new Problem.FieldError("tagValue", "is not a valid SemVer range: empty alternative in '"
                        + value + "'"));
                return null;
            }
            for (String token : tokens) {
                if (!token.equals("-") && !RANGE_TOKEN.matcher(token).matches()) {
                    errors.add(new Problem.FieldError("tagValue",
                            "is not a valid SemVer range: '" + token + "' in '" + value + "'"));
                    return null;
                }
            }
        }
        RangesList range = RangesListFactory.create(value);
        if (range.get().isEmpty()) {
            errors.add(new Problem.FieldError("tagValue", "is not a valid SemVer range: '" + value + "'"));
            return null;
        }
        return range;
    }

    /** A tag read as SemVer: {@code 1.2.3}, {@code v1.2}, {@code 2}, {@code 1.0.0-rc.1}; empty for anything else. */
    static Optional<Semver> semver(String tag) {
        if (!SEMVER_TAG.matcher(tag).matches()) {
            return Optional.empty();
        }
        String plain = tag.startsWith("v") ? tag.substring(1) : tag;
        Semver strict = Semver.parse(plain);
        if (strict != null) {
            return Optional.of(strict);
        }
        return Optional.ofNullable(Semver.coerce(plain));
    }

    public UUID id() {
        return id;
    }

    public String name() {
        return name;
    }

    /** An exact rule names its repository; registries without a catalog are listed through these. */
    public Optional<String> exactRepository() {
        return repositoryMatch == RepositoryMatch.EXACT ? Optional.of(repository) : Optional.empty();
    }

    public boolean matchesRepository(String candidate) {
        return switch (repositoryMatch) {
            case EXACT -> repository.equals(candidate);
            case GLOB, REGEX -> repositoryPattern.matcher(candidate).matches();
        };
    }

    /** Whether the tag filter reads the whole tag list (newest N), so a single pushed tag needs the list. */
    public boolean needsTagList() {
        return tagFilter == TagFilter.NEWEST_N;
    }

    /** The tags of {@code repository} this rule admits, in the order given (newest N: highest version first). */
    public List<String> select(String repository, List<String> tags) {
        List<String> kept = new ArrayList<>();
        for (String tag : tags) {
            if (!excluded(repository, tag) && matchesTag(tag)) {
                kept.add(tag);
            }
        }
        if (tagFilter == TagFilter.NEWEST_N) {
            return kept.stream()
                    .sorted(Comparator.comparing((String t) -> semver(t).orElseThrow()).reversed())
                    .limit(newest)
                    .toList();
        }
        return kept;
    }

    private boolean excluded(String repository, String tag) {
        String qualified = repository + ":" + tag;
        return excludes.stream().anyMatch(p -> p.matcher(tag).matches() || p.matcher(qualified).matches());
    }

    private boolean matchesTag(String tag) {
        return switch (tagFilter) {
            case ALL -> true;
            case EXACT -> tagValue.equals(tag);
            case PREFIX -> tag.startsWith(tagValue);
            case REGEX -> tagPattern.matcher(tag).matches();
            case SEMVER -> semver(tag).map(range::isSatisfiedBy).orElse(false);
            case NEWEST_N -> semver(tag).isPresent();
        };
    }

    /** Whether a platform passes the rule's platform list (empty list: every platform). */
    public boolean admitsPlatform(Platform platform) {
        if (platforms.isEmpty()) {
            return true;
        }
        if (platform == null) {
            return false;
        }
        return platforms.stream()
                .anyMatch(p -> p.os().equals(platform.os()) && p.architecture().equals(platform.architecture())
                        && (p.variant() == null || p.variant().equals(platform.variant())));
    }

    public boolean hasPlatformFilter() {
        return !platforms.isEmpty();
    }

    /**
     * The first required label or annotation the image lacks, or empty when it has them all. A required value of
     * {@code ""} or {@code *} asks only that the key be present.
     */
    public Optional<String> missingLabel(Map<String, String> labels, Map<String, String> annotations) {
        for (var required : requiredLabels.entrySet()) {
            String actual = annotations.containsKey(required.getKey())
                    ? annotations.get(required.getKey())
                    : labels.get(required.getKey());
            String wanted = required.getValue();
            if (actual == null) {
                return Optional.of("lacks required label or annotation " + required.getKey());
            }
            if (wanted != null && !wanted.isEmpty() && !wanted.equals("*") && !wanted.equals(actual)) {
                return Optional.of(required.getKey() + " is '" + actual + "', rule requires '" + wanted + "'");
            }
        }
        return Optional.empty();
    }
}
