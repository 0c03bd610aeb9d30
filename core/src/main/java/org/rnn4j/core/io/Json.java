package org.rnn4j.core.io;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small, strict JSON reader and writer (RFC 8259) for model descriptions and safetensors
 * headers. Values map to Java as: object to {@code Map<String, Object>} (insertion-ordered),
 * array to {@code List<Object>}, string to {@code String}, number to {@link BigDecimal}, true/false
 * to {@code Boolean}, null to {@code null}.
 *
 * <p>The reader rejects what a strict parser should (trailing commas, duplicate keys, control
 * characters in strings, lone surrogates, trailing content) and nests at most {@value #MAX_DEPTH}
 * levels, so hostile input cannot exhaust the stack. Stateless and thread-safe.
 */
public final class Json {

    /** Deepest nesting of arrays and objects the reader accepts. */
    public static final int MAX_DEPTH = 64;

    private Json() {
    }

    /**
     * Parses one JSON value.
     *
     * @throws JsonException naming the position and what was expected
     */
    public static Object parse(String text) throws JsonException {
        return parse(text, Long.MAX_VALUE);
    }

    /**
     * Parses one JSON value of at most {@code maxValues} values (every number, string, literal,
     * array and object counts one), so that a large hostile text cannot make the parsed tree
     * outgrow the memory its size suggests (a number takes some 40 bytes parsed, 2 as text).
     *
     * @throws JsonException naming the position and what was expected, or the limit when passed
     */
    public static Object parse(String text, long maxValues) throws JsonException {
        Reader r = new Reader(text, maxValues);
        r.skipSpace();
        Object value = r.value(0);
        r.skipSpace();
        if (r.pos != text.length()) {
            throw r.error("end of input");
        }
        return value;
    }

    /**
     * Writes a value built of maps, lists, strings, numbers, booleans and nulls as compact JSON.
     *
     * @throws IllegalArgumentException for a value JSON cannot hold: a non-finite number, another
     *                                  type, a key that is not a string, or a string with a lone
     *                                  surrogate (UTF-8 cannot encode it)
     */
    public static String write(Object value) {
        StringBuilder sb = new StringBuilder();
        write(value, sb);
        return sb.toString();
    }

    private static void write(Object value, StringBuilder sb) {
        switch (value) {
            case null -> sb.append("null");
            case String s -> writeString(s, sb);
            case Boolean b -> sb.append(b);
            case Float f when !Float.isFinite(f) -> throw new IllegalArgumentException("JSON cannot hold " + f);
            case Double d when !Double.isFinite(d) -> throw new IllegalArgumentException("JSON cannot hold " + d);
            case Number n -> sb.append(n);
            case Map<?, ?> m -> {
                sb.append('{');
                boolean first = true;
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    if (!first) {
                        sb.append(',');
                    }
                    first = false;
                    if (!(e.getKey() instanceof String key)) {
                        // String.valueOf would let 1 and "1" become one key, which the reader refuses as a duplicate.
                        throw new IllegalArgumentException("JSON object keys are strings, given "
                                + (e.getKey() == null ? "null" : "a " + e.getKey().getClass().getName() + " " + e.getKey()));
                    }
                    writeString(key, sb);
                    sb.append(':');
                    write(e.getValue(), sb);
                }
                sb.append('}');
            }
            case List<?> l -> {
                sb.append('[');
                for (int i = 0; i < l.size(); i++) {
                    if (i > 0) {
                        sb.append(',');
                    }
                    write(l.get(i), sb);
                }
                sb.append(']');
            }
            case int[] a -> {
                sb.append('[');
                for (int i = 0; i < a.length; i++) {
                    sb.append(i > 0 ? "," : "").append(a[i]);
                }
                sb.append(']');
            }
            default -> throw new IllegalArgumentException("JSON cannot hold a " + value.getClass().getName());
        }
    }

    /** The index of the first surrogate in {@code s} that is not half of a pair, or -1: UTF-8 cannot encode one. */
    private static int loneSurrogate(CharSequence s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return i;
            }
        }
        return -1;
    }

    private static void writeString(String s, StringBuilder sb) {
        int lone = loneSurrogate(s);
        if (lone >= 0) {
            throw new IllegalArgumentException("JSON string has a lone surrogate \\u" + Integer.toHexString(s.charAt(lone))
                    + " at index " + lone + ", which UTF-8 cannot encode");
        }
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }

    /** A JSON text that is not valid, with the character position of the problem. */
    public static final class JsonException extends Exception {
        private static final long serialVersionUID = 1L;

        JsonException(String message) {
            super(message);
        }
    }

    private static final class Reader {
        private final String text;
        private final long maxValues;
        private long values;
        private int pos;

        Reader(String text, long maxValues) {
            this.text = text;
            this.maxValues = maxValues;
        }

        JsonException error(String expected) {
            String found = pos >= text.length() ? "end of input" : "'" + text.charAt(pos) + "'";
            return new JsonException("invalid JSON at character " + pos + ": expected " + expected + ", found " + found);
        }

        /** An ASCII hex digit's value, or -1 (Character.digit alone would take other scripts' digits too). */
        private static int hexDigit(char c) {
            return c < 128 ? Character.digit(c, 16) : -1;
        }

        void skipSpace() {
            while (pos < text.length()) {
                char c = text.charAt(pos);
                if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
                    pos++;
                } else {
                    break;
                }
            }
        }

        Object value(int depth) throws JsonException {
            // The top level is depth 0: MAX_DEPTH levels are depths 0 to MAX_DEPTH - 1.
            if (depth >= MAX_DEPTH) {
                throw new JsonException("invalid JSON at character " + pos + ": nested deeper than " + MAX_DEPTH);
            }
            if (++values > maxValues) {
                throw new JsonException("JSON at character " + pos + ": more than " + maxValues + " values");
            }
            if (pos >= text.length()) {
                throw error("a value");
            }
            char c = text.charAt(pos);
            return switch (c) {
                case '{' -> object(depth);
                case '[' -> array(depth);
                case '"' -> string();
                case 't' -> literal("true", Boolean.TRUE);
                case 'f' -> literal("false", Boolean.FALSE);
                case 'n' -> literal("null", null);
                default -> {
                    if (c == '-' || (c >= '0' && c <= '9')) {
                        yield number();
                    }
                    throw error("a value");
                }
            };
        }

        private Object literal(String word, Object value) throws JsonException {
            if (!text.startsWith(word, pos)) {
                throw error("'" + word + "'");
            }
            pos += word.length();
            return value;
        }

        private Map<String, Object> object(int depth) throws JsonException {
            pos++;
            Map<String, Object> map = new LinkedHashMap<>();
            skipSpace();
            if (pos < text.length() && text.charAt(pos) == '}') {
                pos++;
                return map;
            }
            while (true) {
                skipSpace();
                if (pos >= text.length() || text.charAt(pos) != '"') {
                    throw error("a string key");
                }
                int keyPos = pos;
                String key = string();
                skipSpace();
                expect(':');
                skipSpace();
                Object v = value(depth + 1);
                if (map.containsKey(key)) {
                    throw new JsonException("invalid JSON at character " + keyPos + ": duplicate key \"" + key + "\"");
                }
                map.put(key, v);
                skipSpace();
                if (pos < text.length() && text.charAt(pos) == ',') {
                    pos++;
                    continue;
                }
                expect('}');
                return map;
            }
        }

        private List<Object> array(int depth) throws JsonException {
            pos++;
            List<Object> list = new ArrayList<>();
            skipSpace();
            if (pos < text.length() && text.charAt(pos) == ']') {
                pos++;
                return list;
            }
            while (true) {
                skipSpace();
                list.add(value(depth + 1));
                skipSpace();
                if (pos < text.length() && text.charAt(pos) == ',') {
                    pos++;
                    continue;
                }
                expect(']');
                return list;
            }
        }

        private void expect(char c) throws JsonException {
            if (pos >= text.length() || text.charAt(pos) != c) {
                throw error("'" + c + "'");
            }
            pos++;
        }

        private String string() throws JsonException {
            pos++;
            StringBuilder sb = new StringBuilder();
            while (true) {
                if (pos >= text.length()) {
                    throw error("a closing quote");
                }
                char c = text.charAt(pos++);
                if (c == '"') {
                    requirePairedSurrogates(sb);
                    return sb.toString();
                }
                if (c < 0x20) {
                    pos--;
                    throw error("no control character inside a string");
                }
                if (Character.isSurrogate(c)) {
                    if (Character.isHighSurrogate(c) && pos < text.length() && Character.isLowSurrogate(text.charAt(pos))) {
                        sb.append(c).append(text.charAt(pos++));
                        continue;
                    }
                    pos--;
                    throw error("no lone surrogate");
                }
                if (c != '\\') {
                    sb.append(c);
                    continue;
                }
                if (pos >= text.length()) {
                    throw error("an escape");
                }
                char e = text.charAt(pos++);
                switch (e) {
                    case '"' -> sb.append('"');
                    case '\\' -> sb.append('\\');
                    case '/' -> sb.append('/');
                    case 'b' -> sb.append('\b');
                    case 'f' -> sb.append('\f');
                    case 'n' -> sb.append('\n');
                    case 'r' -> sb.append('\r');
                    case 't' -> sb.append('\t');
                    case 'u' -> {
                        if (pos + 4 > text.length()) {
                            throw error("four hex digits");
                        }
                        int code = 0;
                        for (int i = 0; i < 4; i++) {
                            int d = hexDigit(text.charAt(pos));
                            if (d < 0) {
                                throw error("a hex digit");
                            }
                            code = code * 16 + d;
                            pos++;
                        }
                        sb.append((char) code);
                    }
                    default -> {
                        pos--;
                        throw error("a valid escape");
                    }
                }
            }
        }

        /** Escaped surrogates ({@code \\ud83d\\ude00}) must pair up as raw ones must. */
        private void requirePairedSurrogates(CharSequence value) throws JsonException {
            int lone = loneSurrogate(value);
            if (lone >= 0) {
                pos--;
                throw error("no lone surrogate (escaped as \\u" + Integer.toHexString(value.charAt(lone)) + ")");
            }
        }

        private BigDecimal number() throws JsonException {
            int start = pos;
            if (text.charAt(pos) == '-') {
                pos++;
            }
            if (pos < text.length() && text.charAt(pos) == '0') {
                pos++;
            } else {
                digits();
            }
            if (pos < text.length() && text.charAt(pos) == '.') {
                pos++;
                digits();
            }
            if (pos < text.length() && (text.charAt(pos) == 'e' || text.charAt(pos) == 'E')) {
                pos++;
                if (pos < text.length() && (text.charAt(pos) == '+' || text.charAt(pos) == '-')) {
                    pos++;
                }
                digits();
            }
            String literal = text.substring(start, pos);
            if (literal.length() > 400) {
                throw new JsonException("invalid JSON at character " + start + ": number longer than 400 characters");
            }
            try {
                return new BigDecimal(literal);
            } catch (NumberFormatException | ArithmeticException e) {
                throw new JsonException("invalid JSON at character " + start + ": bad number " + literal);
            }
        }

        private void digits() throws JsonException {
            int start = pos;
            while (pos < text.length() && text.charAt(pos) >= '0' && text.charAt(pos) <= '9') {
                pos++;
            }
            if (pos == start) {
                throw error("a digit");
            }
        }
    }
}
