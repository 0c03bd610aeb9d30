package org.rnn4j.tests.reliability;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import org.rnn4j.core.io.Json;

/**
 * Mutations of safetensors files, as jqwik generators: each turns a real file into a damaged or
 * hostile one. Byte-level mutations (flips, truncation, header length, invalid UTF-8) work on any
 * bytes; header-level ones (a field of a tensor entry, offsets, names, metadata, the trainer's JSON,
 * duplicate keys) parse the header, change it and write it back with a matching header length, so
 * they reach the checks behind the header's own, and do nothing when the header no longer parses.
 */
final class FileMutations {

    private FileMutations() {
    }

    /** One change to a file. */
    sealed interface Mutation {
        byte[] apply(byte[] file);
    }

    // ---- byte level ----

    /** Sets the bytes at {@code positions} (modulo the length; into the header when {@code header}). */
    record Overwrite(List<Integer> positions, List<Byte> values, boolean header) implements Mutation {
        @Override
        public byte[] apply(byte[] file) {
            byte[] out = file.clone();
            int span = header ? Math.min(file.length, headerEnd(file)) : file.length;
            for (int i = 0; i < positions.size() && span > 0; i++) {
                out[Math.floorMod(positions.get(i), span)] = values.get(i % values.size());
            }
            return out;
        }
    }

    /** Keeps the first {@code length} bytes (modulo the length). */
    record Truncate(int length) implements Mutation {
        @Override
        public byte[] apply(byte[] file) {
            return file.length == 0 ? file : Arrays.copyOf(file, Math.floorMod(length, file.length));
        }
    }

    /** Writes {@code value} as the header length, or the real length plus {@code value} when {@code relative}. */
    record HeaderLength(long value, boolean relative) implements Mutation {
        @Override
        public byte[] apply(byte[] file) {
            if (file.length < 8) {
                return file;
            }
            byte[] out = file.clone();
            ByteBuffer b = ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN);
            b.putLong(0, relative ? b.getLong(0) + value : value);
            return out;
        }
    }

    /** Replaces header bytes at {@code position} with an invalid UTF-8 sequence. */
    record InvalidUtf8(int position, int sequence) implements Mutation {
        static final byte[][] SEQUENCES = {
            {(byte) 0xC3, 0x28}, {(byte) 0xFF}, {(byte) 0xC0, (byte) 0xAF}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
            {(byte) 0xF8, (byte) 0x88, (byte) 0x80, (byte) 0x80, (byte) 0x80}, {(byte) 0xE2, (byte) 0x82}, {(byte) 0x80},
            {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}
        };

        @Override
        public byte[] apply(byte[] file) {
            int end = headerEnd(file);
            byte[] seq = SEQUENCES[Math.floorMod(sequence, SEQUENCES.length)];
            if (end - 8 < seq.length) {
                return file;
            }
            byte[] out = file.clone();
            System.arraycopy(seq, 0, out, 8 + Math.floorMod(position, end - 8 - seq.length + 1), seq.length);
            return out;
        }
    }

    /** Inserts a copy of tensor entry {@code tensor} in front of the header, so its key appears twice. */
    record DuplicateKey(int tensor) implements Mutation {
        @Override
        public byte[] apply(byte[] file) {
            Picked p = pick(file, tensor);
            if (p == null) {
                return file;
            }
            Map<String, Object> single = new LinkedHashMap<>();
            single.put(p.name(), p.header().get(p.name()));
            String entry = Json.write(single);
            return withHeader(file, entry.substring(0, entry.length() - 1) + "," + Json.write(p.header()).substring(1));
        }
    }

    // ---- header level ----

    /** Sets field {@code field} of tensor entry {@code tensor} to the JSON value {@code json} (null removes it). */
    record EntryField(int tensor, String field, String json) implements Mutation {
        @Override
        public byte[] apply(byte[] file) {
            return editEntry(file, tensor, entry -> {
                if (json == null) {
                    entry.remove(field);
                } else {
                    entry.put(field, parse(json));
                }
            });
        }
    }

    /** Moves tensor {@code tensor}'s data_offsets by the deltas (overlaps and out-of-range ranges). */
    record ShiftOffsets(int tensor, long beginDelta, long endDelta) implements Mutation {
        @Override
        public byte[] apply(byte[] file) {
            return editEntry(file, tensor, entry -> {
                if (entry.get("data_offsets") instanceof List<?> o && o.size() == 2
                        && o.get(0) instanceof java.math.BigDecimal b && o.get(1) instanceof java.math.BigDecimal e) {
                    entry.put("data_offsets", List.of(b.add(java.math.BigDecimal.valueOf(beginDelta)),
                            e.add(java.math.BigDecimal.valueOf(endDelta))));
                }
            });
        }
    }

    /** Gives tensor {@code to} the data_offsets (and optionally the shape) of tensor {@code from}. */
    record CopyLayout(int from, int to, boolean shapeToo) implements Mutation {
        @Override
        public byte[] apply(byte[] file) {
            Picked p = pick(file, from);
            if (p == null || !(p.header().get(p.name()) instanceof Map<?, ?> source)) {
                return file;
            }
            return editEntry(file, to, entry -> {
                entry.put("data_offsets", source.get("data_offsets"));
                if (shapeToo) {
                    entry.put("shape", source.get("shape"));
                }
            });
        }
    }

    /** Renames tensor {@code tensor} (or drops it when {@code newName} is null). */
    record Rename(int tensor, String newName) implements Mutation {
        @Override
        public byte[] apply(byte[] file) {
            Picked p = pick(file, tensor);
            if (p == null) {
                return file;
            }
            Map<String, Object> out = new LinkedHashMap<>();
            p.header().forEach((k, v) -> {
                if (!k.equals(p.name())) {
                    out.put(k, v);
                } else if (newName != null) {
                    out.put(newName, v);
                }
            });
            return withHeader(file, Json.write(out));
        }
    }

    /**
     * Sets metadata {@code key} to {@code value}; a key of the form {@code trainer/<field>} sets a field
     * of the trainer-state JSON instead (a field of {@code train_sum} when it names one), to the JSON {@code value}.
     */
    record Metadata(String key, String value) implements Mutation {
        @Override
        @SuppressWarnings("unchecked")
        public byte[] apply(byte[] file) {
            Map<String, Object> header = header(file);
            if (header == null) {
                return file;
            }
            Map<String, Object> meta = header.get("__metadata__") instanceof Map<?, ?> m
                    ? (Map<String, Object>) m : new LinkedHashMap<>();
            header.put("__metadata__", meta);
            if (!key.startsWith("trainer/")) {
                meta.put(key, value);
                return withHeader(file, Json.write(header));
            }
            if (!(meta.get("trainer") instanceof String text) || !(parse(text) instanceof Map<?, ?> state)) {
                return file;
            }
            Map<String, Object> trainer = (Map<String, Object>) state;
            String field = key.substring("trainer/".length());
            Map<String, Object> target = trainer.get("train_sum") instanceof Map<?, ?> sum && sum.containsKey(field)
                    ? (Map<String, Object>) sum : trainer;
            target.put(field, parse(value));
            meta.put("trainer", Json.write(trainer));
            return withHeader(file, Json.write(header));
        }
    }

    /** Several mutations in a row. */
    record Chain(List<Mutation> steps) implements Mutation {
        @Override
        public byte[] apply(byte[] file) {
            byte[] out = file;
            for (Mutation m : steps) {
                out = m.apply(out);
            }
            return out;
        }
    }

    // ---- generators ----

    /** One to three mutations of any kind. */
    static Arbitrary<Mutation> any() {
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, single()),
                net.jqwik.api.Tuple.of(2, single().list().ofMinSize(2).ofMaxSize(3).map(Chain::new)));
    }

    static Arbitrary<Mutation> single() {
        Arbitrary<Integer> index = Arbitraries.integers().between(0, 1 << 16);
        Arbitrary<Byte> bytes = Arbitraries.oneOf(Arbitraries.bytes(),
                Arbitraries.of((byte) 0, (byte) 0xFF, (byte) 0x7F, (byte) 0x80, (byte) '"', (byte) '{', (byte) '}',
                        (byte) '[', (byte) ',', (byte) ':', (byte) '9', (byte) '-', (byte) '\\', (byte) 'e'));
        Arbitrary<Mutation> overwrite = Combinators.combine(index.list().ofMinSize(1).ofMaxSize(8),
                bytes.list().ofMinSize(1).ofMaxSize(8), Arbitraries.of(true, false)).as(Overwrite::new);
        Arbitrary<Mutation> truncate = index.map(Truncate::new);
        Arbitrary<Mutation> headerLength = Arbitraries.oneOf(
                Arbitraries.longs().map(v -> new HeaderLength(v, false)),
                Arbitraries.of(-1L, Long.MIN_VALUE, Long.MAX_VALUE, 0L, 1L, 2L, 1L << 32, (1L << 31) - 1, 1L << 31,
                        -8L, Long.MAX_VALUE - 7).map(v -> new HeaderLength(v, false)),
                Arbitraries.longs().between(-64, 64).map(v -> new HeaderLength(v, true)));
        Arbitrary<Mutation> utf8 = Combinators.combine(index, Arbitraries.integers().between(0, 7)).as(InvalidUtf8::new);
        Arbitrary<Mutation> duplicate = index.map(DuplicateKey::new);
        Arbitrary<Mutation> field = Combinators.combine(index,
                Arbitraries.of("dtype", "shape", "data_offsets", "extra"),
                Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(9, jsonValues()),
                        net.jqwik.api.Tuple.of(1, Arbitraries.just(null)))).as(EntryField::new);
        Arbitrary<Long> delta = Arbitraries.oneOf(Arbitraries.longs().between(-64, 64),
                Arbitraries.of(Long.MAX_VALUE / 2, -(1L << 40), 1L << 31, 1L << 32, 4L, -4L));
        Arbitrary<Mutation> shift = Combinators.combine(index, delta, delta).as(ShiftOffsets::new);
        Arbitrary<Mutation> copy = Combinators.combine(index, index, Arbitraries.of(true, false)).as(CopyLayout::new);
        Arbitrary<Mutation> rename = Combinators.combine(index, Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(4, names()), net.jqwik.api.Tuple.of(1, Arbitraries.just(null)))).as(Rename::new);
        Arbitrary<Mutation> metadata = Combinators.combine(metadataKeys(), metadataValues()).as(Metadata::new);
        Arbitrary<Mutation> trainer = Combinators.combine(trainerKeys(), jsonValues())
                .as((k, v) -> new Metadata("trainer/" + k, v));
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(4, overwrite), net.jqwik.api.Tuple.of(2, truncate),
                net.jqwik.api.Tuple.of(2, headerLength), net.jqwik.api.Tuple.of(2, utf8),
                net.jqwik.api.Tuple.of(1, duplicate), net.jqwik.api.Tuple.of(5, field),
                net.jqwik.api.Tuple.of(3, shift), net.jqwik.api.Tuple.of(2, copy), net.jqwik.api.Tuple.of(2, rename),
                net.jqwik.api.Tuple.of(5, metadata), net.jqwik.api.Tuple.of(4, trainer));
    }

    /** JSON values: dtypes, shapes (overflowing ones too), offset pairs, numbers at the edges, odd types. */
    static Arbitrary<String> jsonValues() {
        Arbitrary<String> dim = Arbitraries.oneOf(Arbitraries.integers().between(-2, 8).map(String::valueOf),
                Arbitraries.of("2147483647", "2147483648", "65536", "46341", "3037000500", "4294967296", "1e18", "1e19",
                        "-1", "1.5", "9223372036854775807", "18446744073709551616", "1e400", "-0", "0e5"));
        Arbitrary<String> shape = dim.list().ofMaxSize(5).map(l -> "[" + String.join(",", l) + "]");
        Arbitrary<String> number = Arbitraries.oneOf(Arbitraries.longs().map(String::valueOf),
                Arbitraries.of("0", "-1", "1.5", "1e300", "-1e300", "1e-300", "9223372036854775808", "1E+2", "-0.0",
                        "2147483648", "4294967296"));
        return Arbitraries.oneOf(shape, shape.map(s -> s), number,
                Arbitraries.of("\"F32\"", "\"F16\"", "\"BF16\"", "\"F64\"", "\"I32\"", "\"U8\"", "\"f32\"", "\"\"",
                        "null", "true", "false", "{}", "[]", "[[1]]", "{\"a\":[1,{}]}", "\"x\"", "[0,0]"));
    }

    static Arbitrary<String> names() {
        return Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(6),
                Arbitraries.of("__metadata__", "", "model.x", "optimizer.step", "best.w", "weight_ih_l9",
                        "recurrent.weight_hh_l0", "\u00e9\u4e2d", "a\u0000b", "optimizer.m.recurrent.weight_ih_l0"));
    }

    static Arbitrary<String> metadataKeys() {
        return Arbitraries.of("format", "format_version", "cell", "input_size", "hidden_size", "layers", "bidirectional",
                "merge", "dropout", "options", "seed", "recurrent.cell", "recurrent.input_size", "recurrent.hidden_size",
                "recurrent.layers", "recurrent.bidirectional", "recurrent.merge", "recurrent.dropout", "recurrent.options",
                "recurrent.seed", "vocabulary", "padding_id", "outputs", "output", "objective", "label_smoothing", "trainer",
                "unknown");
    }

    static Arbitrary<String> metadataValues() {
        return Arbitraries.oneOf(
                Arbitraries.integers().map(String::valueOf),
                Arbitraries.of("0", "-1", "1", "2", "3", "4", "100000", "46341", "2147483647", "2147483648", "1e3", " 3",
                        "java.lang.Runtime", "lstn", "gru", "lstm", "rnn", "mgu", "", "true", "TRUE", "sum", "concat",
                        "NaN", "Infinity", "-0.5", "0.99", "1", "{}", "{\"init\":\"irnn\"}", "{\"nonlinearity\":\"relu\"}",
                        "{\"x\":\"1\"}", "{\"init\":{}}", "[", "{\"forget_bias\":\"1e39\"}", "last", "sequence",
                        "regression", "classification", "rnn4j-recurrent", "rnn4j-sequence-model", "rnn4j-checkpoint/1",
                        "{\"seed\":7}"),
                Arbitraries.strings().ofMaxLength(8));
    }

    static Arbitrary<String> trainerKeys() {
        return Arbitraries.of("seed", "step", "epoch", "batch", "skipped", "bad_epochs", "stopped", "best_loss",
                "train_sum", "history", "loss_sum", "count", "correct", "classifies");
    }

    // ---- helpers ----

    /** 8 + the header length, clamped to the file. */
    static int headerEnd(byte[] file) {
        if (file.length < 8) {
            return file.length;
        }
        long n = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
        return n < 0 || n > file.length - 8 ? file.length : 8 + (int) n;
    }

    /** The parsed header as a mutable map, or null when it does not parse. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> header(byte[] file) {
        int end = headerEnd(file);
        if (end <= 8) {
            return null;
        }
        Object parsed = parse(new String(file, 8, end - 8, StandardCharsets.UTF_8).strip());
        return parsed instanceof Map<?, ?> m ? (Map<String, Object>) m : null;
    }

    static List<String> tensorNames(Map<String, Object> header) {
        List<String> names = new ArrayList<>();
        if (header != null) {
            header.keySet().stream().filter(k -> !k.equals("__metadata__")).forEach(names::add);
        }
        return names;
    }

    /** A parsed header and the name of one of its tensors. */
    record Picked(Map<String, Object> header, String name) {
    }

    /** The header and its tensor number {@code tensor} (modulo the count), or null when there is none. */
    static Picked pick(byte[] file, int tensor) {
        Map<String, Object> header = header(file);
        List<String> names = tensorNames(header);
        return names.isEmpty() ? null : new Picked(header, names.get(Math.floorMod(tensor, names.size())));
    }

    /** Parses JSON, or returns the text itself when it is not JSON (written back as a string). */
    static Object parse(String json) {
        try {
            return Json.parse(json);
        } catch (Json.JsonException e) {
            return json;
        }
    }

    @SuppressWarnings("unchecked")
    private static byte[] editEntry(byte[] file, int tensor, java.util.function.Consumer<Map<String, Object>> edit) {
        Picked p = pick(file, tensor);
        if (p == null || !(p.header().get(p.name()) instanceof Map<?, ?> entry)) {
            return file;
        }
        Map<String, Object> header = p.header();
        String name = p.name();
        Map<String, Object> copy = new LinkedHashMap<>((Map<String, Object>) entry);
        edit.accept(copy);
        header.put(name, copy);
        return withHeader(file, Json.write(header));
    }

    /** The file with its header replaced by {@code json} and the header length set to match; the data section kept. */
    static byte[] withHeader(byte[] file, String json) {
        byte[] h = json.getBytes(StandardCharsets.UTF_8);
        int end = headerEnd(file);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + file.length - end).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h).put(file, end, file.length - end);
        return b.array();
    }
}
