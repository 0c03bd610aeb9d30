package org.rnn4j.examples.lab;

import java.util.List;

/**
 * Add-one (Laplace) smoothed unigram and bigram models of token sequences: the baselines of the
 * language labs. A bigram predicts {@code p(next | previous) = (n(previous, next) + 1) /
 * (n(previous) + S)} and a unigram {@code p(next) = (n(next) + 1) / (N + S)}, where {@code S} is
 * the number of symbols that can follow (a model never predicts padding or a start token). The
 * first token of each sequence is context only: the start token, or a condition such as a gender.
 */
final class NGram {

    private final long[][] counts;
    private final long[] totals;
    private final int symbols;

    private NGram(boolean bigram, List<int[]> sequences, int vocabulary, int symbols) {
        this.counts = new long[bigram ? vocabulary : 1][vocabulary];
        this.totals = new long[counts.length];
        this.symbols = symbols;
        for (int[] s : sequences) {
            for (int i = 1; i < s.length; i++) {
                int context = bigram ? s[i - 1] : 0;
                counts[context][s[i]]++;
                totals[context]++;
            }
        }
    }

    /**
     * A unigram model fitted on {@code sequences}.
     *
     * @param vocabulary the number of token ids
     * @param symbols    how many of them can follow, for the smoothing
     */
    static NGram unigram(List<int[]> sequences, int vocabulary, int symbols) {
        return new NGram(false, sequences, vocabulary, symbols);
    }

    /** A bigram model fitted on {@code sequences}; see {@link #unigram} for the sizes. */
    static NGram bigram(List<int[]> sequences, int vocabulary, int symbols) {
        return new NGram(true, sequences, vocabulary, symbols);
    }

    /** The natural log of {@code p(next | previous)} (the unigram ignores {@code previous}). */
    double logProbability(int previous, int next) {
        int context = counts.length == 1 ? 0 : previous;
        return Math.log((counts[context][next] + 1.0) / (totals[context] + symbols));
    }

    /** The natural log-likelihood of every token of {@code sequence} after its first. */
    double logLikelihood(int[] sequence) {
        double sum = 0;
        for (int i = 1; i < sequence.length; i++) {
            sum += logProbability(sequence[i - 1], sequence[i]);
        }
        return sum;
    }

    /** Mean bits per predicted token of {@code sequences} (every token after the first of each). */
    double bits(List<int[]> sequences) {
        double sum = 0;
        long n = 0;
        for (int[] s : sequences) {
            sum += logLikelihood(s);
            n += s.length - 1;
        }
        return -sum / n / Math.log(2);
    }
}
