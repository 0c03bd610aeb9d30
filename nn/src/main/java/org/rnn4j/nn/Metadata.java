package org.rnn4j.nn;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Typed values from the string metadata of a model file, for loaders. A missing key or a value of
 * the wrong form is an {@link IllegalArgumentException} that names the key, what it must be and
 * what the file holds, never a bare {@link NumberFormatException}; booleans are {@code true} or
 * {@code false} exactly, so a damaged value is not read as {@code false}.
 */
public final class Metadata {

    private Metadata() {
    }

    /** The value of {@code key}. */
    public static String required(Map<String, String> metadata, String key) {
        String value = metadata.get(key);
        if (value == null) {
            throw new IllegalArgumentException("metadata lacks '" + key + "'");
        }
        return value;
    }

    /** The value of {@code key} as an {@code int}. */
    public static int integer(Map<String, String> metadata, String key) {
        return parsed(metadata, key, "an integer", Integer::parseInt);
    }

    /** The value of {@code key} as a {@code long}. */
    public static long longInteger(Map<String, String> metadata, String key) {
        return parsed(metadata, key, "an integer", Long::parseLong);
    }

    /** The value of {@code key} as a finite {@code double}. */
    public static double decimal(Map<String, String> metadata, String key) {
        return parsed(metadata, key, "a finite number", v -> {
            double d = Double.parseDouble(v);
            if (!Double.isFinite(d)) {
                throw new IllegalArgumentException(v);
            }
            return d;
        });
    }

    /** The value of {@code key}, {@code true} or {@code false}. */
    public static boolean bool(Map<String, String> metadata, String key) {
        return parsed(metadata, key, "true or false", v -> switch (v) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException(v);
        });
    }

    /** The constant of {@code type} that the value of {@code key} names, in any case. */
    public static <E extends Enum<E>> E choice(Map<String, String> metadata, String key, Class<E> type) {
        List<String> names = Arrays.stream(type.getEnumConstants()).map(e -> e.name().toLowerCase(Locale.ROOT)).toList();
        return parsed(metadata, key, "one of " + names, v -> Enum.valueOf(type, v.toUpperCase(Locale.ROOT)));
    }

    /**
     * Requires the file's {@code format_version} to be {@code version}, the one its writer puts there.
     *
     * @param what the kind of file, for the message ("recurrent layer")
     * @throws org.rnn4j.core.io.ModelFileException naming the file, the version found and the one this code reads
     */
    public static void requireFormatVersion(java.nio.file.Path file, Map<String, String> metadata, String what,
                                            String version) throws org.rnn4j.core.io.ModelFileException {
        if (!version.equals(metadata.get("format_version"))) {
            throw new org.rnn4j.core.io.ModelFileException(file, what + " format_version " + metadata.get("format_version")
                    + " cannot be read; this version reads " + version);
        }
    }

    private static <T> T parsed(Map<String, String> metadata, String key, String what, Function<String, T> parse) {
        String value = required(metadata, key);
        try {
            return parse.apply(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("metadata '" + key + "' must be " + what + ", given '" + value + "'", e);
        }
    }
}
