package org.rnn4j.spi;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The small, validated configuration a plugin is created from: string keys to string values, as
 * stored in a model description file. Typed getters parse and check each value and say which key,
 * what was expected and what was given; {@link #requireOnly} rejects keys a plugin does not know,
 * so a typo is an error rather than a silently ignored setting, and labels the options with their
 * reader, whom every later error names. Immutable and thread-safe.
 */
public final class Options {

    private static final Pattern DECIMAL = Pattern.compile("-?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][-+]?[0-9]+)?|-?Infinity|NaN");
    private static final Pattern WHOLE = Pattern.compile("-?[0-9]+");

    private static final Options EMPTY = new Options(Map.of(), null);
    private static final Pattern KEY = Pattern.compile("[a-z][a-z0-9_]*");

    private final Map<String, String> values;
    /** Who reads these options, set by {@link #requireOnly}; not part of equality. */
    private final String owner;

    private Options(Map<String, String> values, String owner) {
        this.values = values;
        this.owner = owner;
    }

    /** No options: every getter returns its default. */
    public static Options empty() {
        return EMPTY;
    }

    /**
     * Options from a map.
     *
     * @throws IllegalArgumentException when a key is not lowercase letters, digits and '_'
     * @throws NullPointerException     when a value is null, naming its key
     */
    public static Options of(Map<String, String> values) {
        Map<String, String> copy = new LinkedHashMap<>();
        values.forEach((k, v) -> {
            if (k == null || !KEY.matcher(k).matches()) {
                throw new IllegalArgumentException("Options: key '" + k
                        + "' must be lowercase letters, digits and '_', starting with a letter");
            }
            copy.put(k, Objects.requireNonNull(v, () -> "Options: value of '" + k + "' is null"));
        });
        return new Options(Collections.unmodifiableMap(copy), null);
    }

    /** Options from alternating keys and values: {@code Options.of("nonlinearity", "relu")}. */
    public static Options of(String... keysAndValues) {
        if (keysAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("Options.of: needs key/value pairs, given " + keysAndValues.length + " strings");
        }
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            if (m.put(keysAndValues[i], keysAndValues[i + 1]) != null) {
                throw new IllegalArgumentException("Options.of: key '" + keysAndValues[i] + "' given twice");
            }
        }
        return of(m);
    }

    /** These options with one key set (added or replaced). */
    public Options with(String key, String value) {
        Map<String, String> m = new LinkedHashMap<>(values);
        m.put(key, value);
        return new Options(of(m).values, owner);
    }

    /** All options, in insertion order. */
    public Map<String, String> asMap() {
        return values;
    }

    /** Whether {@code key} is set. */
    public boolean has(String key) {
        return values.containsKey(key);
    }

    /**
     * Requires every key to be one of {@code known}; read the values from the options returned,
     * whose errors name {@code owner}.
     *
     * @param owner who reads the options, for the messages (e.g. {@code "cell 'rnn'"})
     * @return these options, labelled with {@code owner}
     * @throws IllegalArgumentException naming the unknown keys and listing the known ones
     * @throws NullPointerException     when {@code owner} is null
     */
    public Options requireOnly(String owner, Set<String> known) {
        Objects.requireNonNull(owner, "Options.requireOnly: owner");
        Set<String> unknown = new TreeSet<>(values.keySet());
        unknown.removeAll(known);
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException(owner + ": unknown option" + (unknown.size() > 1 ? "s " : " ")
                    + String.join(", ", unknown) + "; known options: "
                    + (known.isEmpty() ? "none" : String.join(", ", new TreeSet<>(known))));
        }
        return owner.equals(this.owner) ? this : new Options(values, owner);
    }

    /** The value of {@code key}, or {@code fallback}. */
    public String string(String key, String fallback) {
        return values.getOrDefault(key, fallback);
    }

    /**
     * The value of {@code key} (or {@code fallback}), which must be one of {@code allowed}.
     *
     * @throws IllegalArgumentException naming the key, the allowed and the given value
     */
    public String choice(String key, String fallback, Set<String> allowed) {
        String v = string(key, fallback);
        if (!allowed.contains(v)) {
            throw new IllegalArgumentException(reader() + "option " + key + " must be one of "
                    + String.join(", ", new TreeSet<>(allowed)) + ", given '" + v + "'");
        }
        return v;
    }

    /**
     * The value of {@code key} as a finite number within {@code [min, max]}, or {@code fallback}.
     *
     * @throws IllegalArgumentException naming the key, the range and the given value
     */
    public double number(String key, double fallback, double min, double max) {
        String v = values.get(key);
        if (v == null) {
            return fallback;
        }
        double d;
        try {
            // Plain decimal notation (and the non-finite names, refused below with their own message):
            // parseDouble would also take "0.1f", "1d" and hex floats.
            if (!DECIMAL.matcher(v.trim()).matches()) {
                throw new NumberFormatException(v);
            }
            d = Double.parseDouble(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(reader() + "option " + key + " must be a number, given '" + v + "'");
        }
        if (!Double.isFinite(d)) {
            throw new IllegalArgumentException(reader() + "option " + key + " must be a finite number, given '" + v + "'");
        }
        if (!(d >= min && d <= max)) {
            throw new IllegalArgumentException(reader() + "option " + key + " must be " + range(min, max) + ", given " + v);
        }
        return d;
    }

    /**
     * The value of {@code key} as a whole number within {@code [min, max]}, or {@code fallback}.
     *
     * @throws IllegalArgumentException naming the key, the range and the given value
     */
    public int integer(String key, int fallback, int min, int max) {
        String v = values.get(key);
        if (v == null) {
            return fallback;
        }
        int i;
        try {
            // ASCII digits only: parseInt would also take other scripts' digits and a leading '+'.
            if (!WHOLE.matcher(v.trim()).matches()) {
                throw new NumberFormatException(v);
            }
            i = Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(reader() + "option " + key + " must be a whole number, given '" + v + "'");
        }
        if (i < min || i > max) {
            throw new IllegalArgumentException(reader() + "option " + key + " must be "
                    + (max == Integer.MAX_VALUE ? ">= " + min : "in [" + min + ", " + max + "]") + ", given " + i);
        }
        return i;
    }

    /**
     * The value of {@code key} as {@code true} or {@code false}, or {@code fallback}.
     *
     * @throws IllegalArgumentException when the value is neither
     */
    public boolean bool(String key, boolean fallback) {
        String v = values.get(key);
        if (v == null) {
            return fallback;
        }
        return switch (v.trim()) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException(reader() + "option " + key + " must be true or false, given '" + v + "'");
        };
    }

    /** The owner's label for a message, or nothing before {@link #requireOnly} named one. */
    private String reader() {
        return owner == null ? "" : owner + ": ";
    }

    /**
     * A range as a reader would write it: {@code Double.MIN_VALUE} as an open 0, no upper bound for
     * {@code Double.MAX_VALUE}, and the largest float as a float.
     */
    private static String range(double min, double max) {
        String high = max == Float.MAX_VALUE ? Float.toString(Float.MAX_VALUE) : Double.toString(max);
        if (max == Double.MAX_VALUE) {
            return min == Double.MIN_VALUE ? "> 0" : ">= " + min;
        }
        return min == Double.MIN_VALUE ? "in (0, " + high + "]" : "in [" + min + ", " + high + "]";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Options other && values.equals(other.values);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }

    @Override
    public String toString() {
        return values.toString();
    }
}
