package org.rnn4j.training.data;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.rnn4j.core.io.AtomicFiles;
import org.rnn4j.core.io.Json;
import org.rnn4j.core.io.ModelFileException;

/**
 * A fixed mapping between tokens and ids {@code 0 .. size() - 1}. Four special tokens have fixed
 * ids in every vocabulary, so a model can rely on them without reading the vocabulary:
 * {@value #PAD_TOKEN} = {@value #PAD} (padding), {@value #UNK_TOKEN} = {@value #UNK} (any token
 * the vocabulary lacks), {@value #BOS_TOKEN} = {@value #BOS} (beginning of sequence) and
 * {@value #EOS_TOKEN} = {@value #EOS} (end of sequence). Immutable and thread-safe.
 */
public final class Vocabulary {

    /** Id of the padding token. */
    public static final int PAD = 0;
    /** Id of the unknown token, which stands for every token the vocabulary lacks. */
    public static final int UNK = 1;
    /** Id of the beginning-of-sequence token. */
    public static final int BOS = 2;
    /** Id of the end-of-sequence token. */
    public static final int EOS = 3;

    /** The padding token. */
    public static final String PAD_TOKEN = "<pad>";
    /** The unknown token. */
    public static final String UNK_TOKEN = "<unk>";
    /** The beginning-of-sequence token. */
    public static final String BOS_TOKEN = "<bos>";
    /** The end-of-sequence token. */
    public static final String EOS_TOKEN = "<eos>";

    private static final List<String> SPECIALS = List.of(PAD_TOKEN, UNK_TOKEN, BOS_TOKEN, EOS_TOKEN);
    private static final String FORMAT = "rnn4j-vocabulary";

    private final List<String> tokens;
    private final Map<String, Integer> ids;

    private Vocabulary(List<String> tokens) {
        this.tokens = List.copyOf(tokens);
        this.ids = new HashMap<>();
        for (int i = 0; i < tokens.size(); i++) {
            ids.put(tokens.get(i), i);
        }
    }

    /**
     * Builds a vocabulary from the tokens of a training text: the special tokens, then every token
     * seen at least {@code minCount} times, most frequent first and equally frequent ones in
     * {@link String#compareTo} order, so the same tokens always give the same ids. Occurrences of
     * the special tokens themselves are not counted.
     *
     * @param minCount fewest occurrences for a token to get its own id, {@code >= 1}
     * @param maxSize  most ids in all, the four special ones included, {@code >= 4}; the least
     *                 frequent tokens beyond it map to {@link #UNK}
     * @throws IllegalArgumentException when a limit is out of range or a token is null or empty
     */
    public static Vocabulary build(Iterable<String> tokens, int minCount, int maxSize) {
        requireLimits("Vocabulary.build", minCount, maxSize);
        Map<String, Long> counts = new HashMap<>();
        int position = 0;
        for (String token : tokens) {
            if (token == null || token.isEmpty()) {
                throw new IllegalArgumentException("Vocabulary.build: token " + position + " must be a non-empty string, given "
                        + (token == null ? "null" : "an empty string"));
            }
            position++;
            counts.merge(token, 1L, Long::sum);
        }
        return fromCounts(counts, minCount, maxSize);
    }

    /**
     * Builds a vocabulary from token counts made elsewhere, for example summed over the partitions
     * of a distributed corpus; the result is what {@link #build} gives for a text with these counts.
     * Counts of the special tokens are ignored.
     *
     * @throws IllegalArgumentException as {@link #build}, or when a count is below 1
     */
    public static Vocabulary fromCounts(Map<String, Long> counts, int minCount, int maxSize) {
        requireLimits("Vocabulary.fromCounts", minCount, maxSize);
        counts.forEach((token, count) -> {
            if (token == null || token.isEmpty() || count == null || count < 1) {
                throw new IllegalArgumentException("Vocabulary.fromCounts: expected non-empty tokens with counts >= 1, given '"
                        + token + "' with " + count);
            }
        });
        List<String> kept = new ArrayList<>(SPECIALS);
        counts.entrySet().stream()
                .filter(e -> !SPECIALS.contains(e.getKey()) && e.getValue() >= minCount)
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .limit(maxSize - SPECIALS.size())
                .forEach(e -> kept.add(e.getKey()));
        return new Vocabulary(kept);
    }

    /**
     * The vocabulary whose tokens, in id order, are {@code tokens}, as {@link #tokens()} returns
     * them: for example to rebuild a vocabulary in another process.
     *
     * @throws IllegalArgumentException when the special tokens do not come first, or a token is
     *                                  empty or repeated
     */
    public static Vocabulary of(List<String> tokens) {
        String problem = tokenProblem(tokens);
        if (problem != null) {
            throw new IllegalArgumentException("Vocabulary.of: " + problem);
        }
        return new Vocabulary(tokens);
    }

    private static void requireLimits(String operation, int minCount, int maxSize) {
        if (minCount < 1) {
            throw new IllegalArgumentException(operation + ": minCount must be >= 1, given " + minCount);
        }
        if (maxSize < SPECIALS.size()) {
            throw new IllegalArgumentException(operation + ": maxSize must be >= " + SPECIALS.size()
                    + " (the special tokens), given " + maxSize);
        }
    }

    /** What is wrong with {@code tokens} as a vocabulary in id order, or null when nothing is. */
    private static String tokenProblem(List<?> tokens) {
        Map<Object, Integer> seen = new HashMap<>();
        for (int i = 0; i < tokens.size(); i++) {
            Object o = tokens.get(i);
            if (!(o instanceof String token) || token.isEmpty()) {
                return "vocabulary token " + i + " must be a non-empty string, found " + (o == null ? "null" : Json.write(o));
            }
            Integer before = seen.putIfAbsent(token, i);
            if (before != null) {
                return "vocabulary has the token '" + token + "' twice, at ids " + before + " and " + i;
            }
        }
        if (tokens.size() < SPECIALS.size() || !tokens.subList(0, SPECIALS.size()).equals(SPECIALS)) {
            return "vocabulary must start with the special tokens " + SPECIALS + ", found "
                    + tokens.subList(0, Math.min(tokens.size(), SPECIALS.size()));
        }
        return null;
    }

    /** The id of {@code token}, or {@link #UNK} when the vocabulary lacks it. */
    public int id(String token) {
        return ids.getOrDefault(token, UNK);
    }

    /**
     * The token with id {@code id}.
     *
     * @throws IllegalArgumentException when {@code id} is not in {@code [0, size())}
     */
    public String token(int id) {
        if (id < 0 || id >= tokens.size()) {
            throw new IllegalArgumentException("Vocabulary.token: id " + id + " is outside [0, " + tokens.size()
                    + ") of this vocabulary of size " + tokens.size());
        }
        return tokens.get(id);
    }

    /** Whether {@code token} has its own id (the special tokens included). */
    public boolean contains(String token) {
        return ids.containsKey(token);
    }

    /** Number of ids, the four special ones included. */
    public int size() {
        return tokens.size();
    }

    /** Every token in id order, the special ones first. */
    public List<String> tokens() {
        return tokens;
    }

    /**
     * Saves the vocabulary as JSON ({@code {"format": "rnn4j-vocabulary", "format_version": 1,
     * "tokens": [...]}}, tokens in id order), written atomically (temporary file, fsync, rename).
     */
    public void save(Path file) throws IOException {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("format", FORMAT);
        json.put("format_version", 1);
        json.put("tokens", tokens);
        AtomicFiles.write(file, (Json.write(json) + "\n").getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Loads a vocabulary saved by {@link #save}.
     *
     * @throws ModelFileException when the file is not UTF-8 JSON, is not a saved vocabulary, or its
     *                            tokens are malformed (special tokens not first, duplicates, empty)
     */
    public static Vocabulary load(Path file) throws IOException {
        Object parsed;
        try {
            parsed = Json.parse(Files.readString(file));
        } catch (CharacterCodingException e) {
            throw new ModelFileException(file, "not a saved vocabulary: the file is not UTF-8 text", e);
        } catch (Json.JsonException e) {
            throw new ModelFileException(file, "not a saved vocabulary: " + e.getMessage(), e);
        }
        if (!(parsed instanceof Map<?, ?> json) || !FORMAT.equals(json.get("format"))) {
            throw new ModelFileException(file, "not a saved vocabulary: expected a JSON object with \"format\": \""
                    + FORMAT + "\"");
        }
        if (!(json.get("format_version") instanceof BigDecimal version) || version.compareTo(BigDecimal.ONE) != 0) {
            throw new ModelFileException(file, "vocabulary format_version is " + json.get("format_version")
                    + ", this version of rnn4j reads 1");
        }
        if (!(json.get("tokens") instanceof List<?> list)) {
            throw new ModelFileException(file, "vocabulary \"tokens\" must be an array of strings, found "
                    + json.get("tokens"));
        }
        String problem = tokenProblem(list);
        if (problem != null) {
            throw new ModelFileException(file, problem);
        }
        return new Vocabulary(list.stream().map(String.class::cast).toList());
    }

    /** Two vocabularies are equal when they map the same tokens to the same ids. */
    @Override
    public boolean equals(Object o) {
        return o instanceof Vocabulary v && tokens.equals(v.tokens);
    }

    @Override
    public int hashCode() {
        return tokens.hashCode();
    }

    @Override
    public String toString() {
        return "Vocabulary[size=" + tokens.size() + ", first=" + tokens.subList(0, Math.min(tokens.size(), 10)) + "]";
    }
}
