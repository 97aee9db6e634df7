package io.modelgate.deployment;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Prometheus series names the services expose, found in their Java sources (every Micrometer meter they
 * register), and the names in a PromQL expression, so that a dashboard can only query what exists.
 */
final class MeterNames {

    /**
     * Meters of Quarkus and its binders, not in our sources: HTTP server requests (a timer) and the Kafka
     * consumer's fetch lag (Micrometer's Kafka binder, quarkus.micrometer.binder.kafka.enabled in libs/platform).
     */
    static final Set<String> FRAMEWORK = Set.of("http_server_requests_seconds_count",
            "http_server_requests_seconds_sum", "http_server_requests_seconds_max",
            "kafka_consumer_fetch_manager_records_lag_max", "up");

    /** A meter registration: {@code meters.counter("name"}, {@code Timer.builder("name"} or through a constant. */
    private static final Pattern REGISTRATION = Pattern.compile(
            "\\b(counter|timer|gauge|summary|Counter\\.builder|Timer\\.builder|Gauge\\.builder|DistributionSummary\\.builder)"
                    + "\\(\\s*(?:\"([a-z][a-z0-9_.]*)\"|([A-Z][A-Z0-9_]*))");
    private static final Pattern CONSTANT = Pattern.compile(
            "static\\s+final\\s+String\\s+([A-Z][A-Z0-9_]*)\\s*=\\s*\"([a-z][a-z0-9_.]*)\"");
    private static final Pattern BASE_UNIT = Pattern.compile("\\.baseUnit\\(\"([a-z]+)\"\\)");

    private MeterNames() {
    }

    /** Every series name the main sources under these directories register, as Prometheus shows them. */
    static Set<String> fromSources(List<Path> sourceDirs) {
        Set<String> names = new TreeSet<>();
        for (Path dir : sourceDirs) {
            for (Path file : Repo.files(dir, ".java")) {
                names.addAll(fromSource(Repo.read(file)));
            }
        }
        return names;
    }

    static Set<String> fromSource(String source) {
        Map<String, String> constants = new HashMap<>();
        Matcher constant = CONSTANT.matcher(source);
        while (constant.find()) {
            constants.put(constant.group(1), constant.group(2));
        }
        Set<String> names = new LinkedHashSet<>();
        Matcher m = REGISTRATION.matcher(source);
        while (m.find()) {
            String name = m.group(2) != null ? m.group(2) : constants.get(m.group(3));
            if (name == null) {
                continue;
            }
            String base = name.replace('.', '_').replace('-', '_');
            String kind = m.group(1).toLowerCase();
            if (kind.startsWith("counter")) {
                names.add(base + "_total");
            } else if (kind.startsWith("timer")) {
                // Micrometer's Prometheus naming: seconds, with quantile series when percentiles are published.
                for (String suffix : List.of("", "_count", "_sum", "_max", "_bucket")) {
                    names.add(base + "_seconds" + suffix);
                }
            } else if (kind.startsWith("gauge")) {
                Matcher unit = BASE_UNIT.matcher(source.substring(m.end(), Math.min(source.length(), m.end() + 400)));
                names.add(unit.find() ? base + "_" + unit.group(1) : base);
            } else {
                for (String suffix : List.of("", "_count", "_sum", "_max")) {
                    names.add(base + suffix);
                }
            }
        }
        return names;
    }

    private static final Set<String> KEYWORDS = Set.of("by", "without", "on", "ignoring", "group_left",
            "group_right", "bool", "and", "or", "unless", "offset", "inf", "nan");
    private static final Pattern STRING = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'");
    private static final Pattern MATCHERS = Pattern.compile("\\{[^}]*}");
    private static final Pattern RANGE = Pattern.compile("\\[[^]]*]");
    private static final Pattern GROUPING = Pattern.compile(
            "\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
    private static final Pattern IDENTIFIER = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");

    /** The metric names a PromQL expression reads: identifiers that are not functions, keywords or labels. */
    static Set<String> inExpression(String expr) {
        String rest = STRING.matcher(expr).replaceAll("\"\"");
        rest = MATCHERS.matcher(rest).replaceAll(" ");
        rest = RANGE.matcher(rest).replaceAll(" ");
        rest = GROUPING.matcher(rest).replaceAll(" ");
        Set<String> names = new LinkedHashSet<>();
        Matcher m = IDENTIFIER.matcher(rest);
        while (m.find()) {
            String word = m.group();
            int after = m.end();
            while (after < rest.length() && Character.isWhitespace(rest.charAt(after))) {
                after++;
            }
            boolean function = after < rest.length() && rest.charAt(after) == '(';
            boolean number = m.start() > 0 && Character.isDigit(rest.charAt(m.start() - 1));
            if (!function && !number && !KEYWORDS.contains(word.toLowerCase())) {
                names.add(word);
            }
        }
        return names;
    }

    /** The names an expression reads that are not in the allowlist. */
    static List<String> unknown(String expr, Set<String> allowed) {
        List<String> unknown = new ArrayList<>();
        for (String name : inExpression(expr)) {
            if (!allowed.contains(name)) {
                unknown.add(name);
            }
        }
        return unknown;
    }
}
