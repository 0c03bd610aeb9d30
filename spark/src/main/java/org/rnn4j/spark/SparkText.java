package org.rnn4j.spark;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.rnn4j.training.data.Tokenizer;
import org.rnn4j.training.data.Vocabulary;
import scala.Tuple2;

/**
 * Text corpora from Spark, tokenized on the executors by the local pipeline's own tokenizers
 * ({@code CharTokenizer}, {@code WordTokenizer} or any {@link Tokenizer}), so that a model trained
 * on a cluster reads text exactly as one trained locally. A tokenizer kind is given as a function
 * from a vocabulary to a tokenizer, for example {@code CharTokenizer::new} or
 * {@code v -> new WordTokenizer(v, true)}; the executors rebuild it from the vocabulary's tokens.
 *
 * <pre>{@code
 * JavaRDD<String> lines = SparkText.lines(spark.read().text("corpus/"), "value");
 * Vocabulary chars = SparkText.vocabulary(lines, CharTokenizer::new, 1, 200);
 * JavaRDD<int[]> examples = SparkText.pieces(SparkText.encode(lines, CharTokenizer::new, chars, true), 65);
 * }</pre>
 */
public final class SparkText {

    private SparkText() {
    }

    /** The strings of a column of {@code rows}, in row order; nulls are skipped. */
    public static JavaRDD<String> lines(Dataset<Row> rows, String column) {
        return rows.select(column).as(Encoders.STRING()).javaRDD().filter(line -> line != null);
    }

    /**
     * The vocabulary of {@code lines}: tokens are counted on the executors and the vocabulary is
     * built from the counts as {@link Vocabulary#build} builds it from the same tokens (so it equals
     * {@code CharTokenizer.fit} on the lines joined without separators).
     *
     * @param tokenizer the tokenizer kind, whose {@code split} cuts the lines
     * @see Vocabulary#build for {@code minCount} and {@code maxSize}
     */
    public static Vocabulary vocabulary(JavaRDD<String> lines, SerializableFunction<Vocabulary, ? extends Tokenizer> tokenizer,
                                        int minCount, int maxSize) {
        // Fails here, before a job, on bad limits.
        Vocabulary specials = Vocabulary.fromCounts(Map.of(), minCount, maxSize);
        List<String> specialTokens = specials.tokens();
        Map<String, Long> counts = lines.mapPartitionsToPair(it -> {
            Tokenizer splitter = tokenizer.apply(Vocabulary.of(specialTokens));
            Map<String, Long> local = new HashMap<>();
            it.forEachRemaining(line -> splitter.split(line).forEach(t -> local.merge(t, 1L, Long::sum)));
            List<Tuple2<String, Long>> out = new ArrayList<>(local.size());
            local.forEach((t, n) -> out.add(new Tuple2<>(t, n)));
            return out.iterator();
        }).reduceByKey(Long::sum).collectAsMap();
        return Vocabulary.fromCounts(counts, minCount, maxSize);
    }

    /**
     * Encodes every line into token ids, on the executors, in line order: {@code tokenizer} over
     * {@code vocabulary}, with {@link Vocabulary#BOS} and {@link Vocabulary#EOS} around each line when
     * {@code addBosEos} (as a language model needs). Empty lines give empty (or BOS, EOS) sequences.
     */
    public static JavaRDD<int[]> encode(JavaRDD<String> lines, SerializableFunction<Vocabulary, ? extends Tokenizer> tokenizer,
                                        Vocabulary vocabulary, boolean addBosEos) {
        List<String> tokens = vocabulary.tokens();
        return lines.mapPartitions(it -> {
            Tokenizer encoder = tokenizer.apply(Vocabulary.of(tokens));
            List<int[]> out = new ArrayList<>();
            it.forEachRemaining(line -> out.add(encoder.encode(line, addBosEos)));
            return out.iterator();
        }, true);
    }

    /**
     * Cuts sequences into pieces of at most {@code maxLength} ids for next-token training: each piece
     * starts at the last id of the one before, so every (id, next id) pair is in exactly one piece.
     * Sequences of fewer than 2 ids, which hold no pair, are dropped. Order is kept.
     *
     * @throws IllegalArgumentException when {@code maxLength < 2}
     */
    public static JavaRDD<int[]> pieces(JavaRDD<int[]> sequences, int maxLength) {
        if (maxLength < 2) {
            throw new IllegalArgumentException("SparkText.pieces: maxLength must be >= 2 (an id and the next), given "
                    + maxLength);
        }
        return sequences.flatMap(s -> {
            List<int[]> out = new ArrayList<>();
            for (int from = 0; from + 1 < s.length; from += maxLength - 1) {
                out.add(java.util.Arrays.copyOfRange(s, from, Math.min(s.length, from + maxLength)));
            }
            return out.iterator();
        });
    }
}
