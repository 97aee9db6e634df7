package io.modelgate.approval.domain;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import io.modelgate.events.FunctionType;
import io.modelgate.events.ImageDescriptor;

/**
 * What an image says about the model it carries, read from its manifest annotations and then its config labels:
 * Modelgate's own {@code io.modelgate.model.*} keys first, then the OCI {@code org.opencontainers.image.*} keys, then
 * the CNCF ModelPack {@code org.cncf.model.*} keys, and finally the repository and tag. A value that does not parse is
 * left out and named in {@link #problems()}, so one bad annotation never keeps an image out of the library.
 */
public record ModelFacts(String name, String version, String publisher, String description,
        Set<FunctionType> functionTypes, Long parameterCount, Integer contextLength, String dtype,
        String quantization, String license, Integer gpuCount, String gpuType, String gpuMemory, String cpu,
        String memory, List<String> problems) {

    static final String PREFIX = "io.modelgate.model.";
    static final String OCI = "org.opencontainers.image.";
    static final String MODELPACK = "org.cncf.model.";

    /** Longest value kept from an annotation, so a huge annotation cannot bloat the library. */
    private static final int MAX_TEXT = 255;

    public static ModelFacts of(ImageDescriptor image) {
        Reader reader = new Reader(image.annotations(), image.labels());
        String name = reader.text(PREFIX + "name", OCI + "title", MODELPACK + "name");
        if (name == null) {
            name = image.repository().length() > MAX_TEXT
                    ? image.repository().substring(0, MAX_TEXT)
                    : image.repository();
        }
        String version = reader.text(PREFIX + "version", OCI + "version", MODELPACK + "version");
        if (version == null) {
            version = image.tag() != null ? image.tag() : image.digest();
        }
        return new ModelFacts(name, version,
                reader.text(PREFIX + "publisher", OCI + "vendor", MODELPACK + "vendor"),
                reader.longText(PREFIX + "description", OCI + "description", MODELPACK + "description"),
                reader.functionTypes(PREFIX + "function-types"),
                reader.number(ModelFacts::parseCount, "parameter count", PREFIX + "parameter-count",
                        MODELPACK + "param-size"),
                reader.number(value -> Math.toIntExact(parseCount(value)), "context length",
                        PREFIX + "context-length"),
                reader.text(PREFIX + "dtype", MODELPACK + "precision"),
                reader.text(PREFIX + "quantization", MODELPACK + "quantization"),
                reader.text(PREFIX + "license", OCI + "licenses", MODELPACK + "licenses"),
                reader.number(Integer::valueOf, "GPU count", PREFIX + "gpu-count"),
                reader.text(PREFIX + "gpu-type"),
                reader.text(PREFIX + "gpu-memory"),
                reader.text(PREFIX + "cpu"),
                reader.text(PREFIX + "memory"),
                List.copyOf(reader.problems));
    }

    /** Parses a function type as written in annotations and the API: {@code chat}, {@code image-embedding}. */
    public static FunctionType functionType(String value) {
        String name = value.trim().toUpperCase(Locale.ROOT).replace('-', '_');
        FunctionType type = FunctionType.valueOf(name);
        if (type == FunctionType.UNKNOWN) {
            throw new IllegalArgumentException(value);
        }
        return type;
    }

    /** {@code 8030000000}, {@code 8B}, {@code 1.5b}, {@code 350M}, {@code 128k}: a count with an optional suffix. */
    static Long parseCount(String value) {
        String trimmed = value.trim().replace("_", "").replace(",", "");
        char last = Character.toUpperCase(trimmed.charAt(trimmed.length() - 1));
        int exponent = switch (last) {
            case 'K' -> 3;
            case 'M' -> 6;
            case 'B', 'G' -> 9;
            case 'T' -> 12;
            default -> 0;
        };
        String digits = exponent == 0 ? trimmed : trimmed.substring(0, trimmed.length() - 1);
        long count = new BigDecimal(digits).scaleByPowerOfTen(exponent).longValueExact();
        if (count < 0) {
            throw new NumberFormatException("negative");
        }
        return count;
    }

    private static final class Reader {

        private final Map<String, String> annotations;
        private final Map<String, String> labels;
        private final List<String> problems = new ArrayList<>();

        Reader(Map<String, String> annotations, Map<String, String> labels) {
            this.annotations = annotations;
            this.labels = labels;
        }

        /** The first non-blank value under the keys, annotations before labels; with the key it came from. */
        private String[] raw(String... keys) {
            for (Map<String, String> source : List.of(annotations, labels)) {
                for (String key : keys) {
                    String value = source.get(key);
                    if (value != null && !value.isBlank()) {
                        return new String[]{key, value.trim()};
                    }
                }
            }
            return null;
        }

        String text(String... keys) {
            String[] found = raw(keys);
            if (found == null) {
                return null;
            }
            return found[1].length() > MAX_TEXT ? found[1].substring(0, MAX_TEXT) : found[1];
        }

        String longText(String... keys) {
            String[] found = raw(keys);
            return found == null ? null : found[1];
        }

        <T> T number(Function<String, T> parse, String what, String... keys) {
            String[] found = raw(keys);
            if (found == null) {
                return null;
            }
            try {
                return parse.apply(found[1]);
            } catch (RuntimeException e) {
                problems.add(found[0] + ": '" + abbreviate(found[1]) + "' is not a valid " + what);
                return null;
            }
        }

        Set<FunctionType> functionTypes(String key) {
            String[] found = raw(key);
            Set<FunctionType> types = EnumSet.noneOf(FunctionType.class);
            if (found == null) {
                return types;
            }
            for (String value : found[1].split(",")) {
                if (value.isBlank()) {
                    continue;
                }
                try {
                    types.add(functionType(value));
                } catch (IllegalArgumentException e) {
                    problems.add(key + ": unknown function type '" + abbreviate(value.trim()) + "'");
                }
            }
            return types;
        }

        private static String abbreviate(String value) {
            return value.length() > 64 ? value.substring(0, 64) + "…" : value;
        }
    }
}
