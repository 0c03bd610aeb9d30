package org.rnn4j.models;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.rnn4j.core.Tensor;
import org.rnn4j.core.kernel.Kernels;

/** Greedy decoding and beam search over a {@link Decoder}, from encoded sources. */
final class Search {

    private final Decoder decoder;
    private final int bos;
    private final int eos;
    private final Kernels k = Kernels.get();

    Search(Decoder decoder, int bos, int eos) {
        this.decoder = decoder;
        this.bos = bos;
        this.eos = eos;
    }

    /** Index of the first largest of {@code x[off .. off+n)}. */
    static int argmax(float[] x, int off, int n) {
        int best = 0;
        for (int j = 1; j < n; j++) {
            if (x[off + j] > x[off + best]) {
                best = j;
            }
        }
        return best;
    }

    /** The length-normalized score {@code logProb / length^alpha}; exactly {@code logProb} for {@code alpha = 0}. */
    static double score(double logProb, int length, double alpha) {
        return alpha == 0 ? logProb : logProb / Math.pow(length, alpha);
    }

    private Tensor logSoftmax(Tensor logits) {
        Tensor out = Tensor.zeros(logits.shape());
        k.logSoftmax(logits.dim(0), logits.dim(1), logits.data(), 0, out.data(), 0);
        return out;
    }

    /**
     * Decodes every row at once, each until its end-of-sequence token or {@code maxLength}.
     *
     * @param keys    encoder outputs {@code [B, S, Hk]}
     * @param initial the decoder's initial state
     */
    List<Hypothesis> greedy(Tensor keys, int[] lengths, Tensor[][] initial, int maxLength) {
        int b = lengths.length;
        int[] tokens = new int[b];
        Arrays.fill(tokens, bos);
        // Grown as rows get longer: maxLength is a cap, often far above what decoding reaches.
        int capacity = Math.min(maxLength, 64);
        int[][] out = new int[b][capacity];
        int[] count = new int[b];
        double[] logProb = new double[b];
        float[][][] weights = new float[b][capacity][];
        boolean[] done = new boolean[b];
        int running = b;
        Tensor[][] state = initial;
        Tensor feed = null;
        boolean attends = false;
        for (int t = 0; t < maxLength && running > 0; t++) {
            Decoder.Step step = decoder.step(tokens, state, feed, keys, lengths, false);
            float[] logits = step.logits().data();
            int v = step.logits().dim(1);
            float[] logp = logSoftmax(step.logits()).data();
            Tensor w = step.weights();
            attends = w != null;
            for (int r = 0; r < b; r++) {
                int token = argmax(logits, r * v, v);
                tokens[r] = token;
                if (done[r]) {
                    continue;
                }
                logProb[r] += logp[r * v + token];
                if (count[r] == out[r].length) {
                    int grown = (int) Math.min(maxLength, 2L * out[r].length);
                    out[r] = Arrays.copyOf(out[r], grown);
                    weights[r] = Arrays.copyOf(weights[r], grown);
                }
                if (attends) {
                    weights[r][count[r]] = row(w, r);
                }
                out[r][count[r]++] = token;
                if (token == eos) {
                    done[r] = true;
                    running--;
                }
            }
            state = step.state();
            feed = step.feed();
        }
        List<Hypothesis> result = new ArrayList<>(b);
        for (int r = 0; r < b; r++) {
            result.add(new Hypothesis(Arrays.copyOf(out[r], count[r]), logProb[r], logProb[r],
                    attends ? Arrays.copyOf(weights[r], count[r]) : null));
        }
        return result;
    }

    /**
     * A prefix in the beam: its last token, summed log-probability, attention weights of its last
     * step, and the decoder state and feed after it ({@code [L][states][H]}, {@code [H]} or null).
     */
    private record Node(Node parent, int token, double logProb, int length, float[] weights, float[][][] state,
                        float[] feed) {
        double score(double alpha) {
            return Search.score(logProb, length, alpha);
        }
    }

    /** A candidate expansion: beam {@code beam} followed by {@code token}. */
    private record Candidate(int beam, int token, double logProb) {
    }

    /**
     * Beam search for row {@code row} of an encoded batch.
     *
     * @param alpha the length-normalization exponent
     */
    Hypothesis beam(Tensor keys, int[] lengths, Tensor[][] initial, int row, int width, int maxLength, double alpha) {
        int s = keys.dim(1);
        int hk = keys.dim(2);
        float[][][] rootState = new float[initial.length][initial[0].length][];
        for (int l = 0; l < initial.length; l++) {
            for (int st = 0; st < initial[l].length; st++) {
                rootState[l][st] = row(initial[l][st], row);
            }
        }
        List<Node> alive = List.of(new Node(null, bos, 0, 0, null, rootState, null));
        List<Node> finished = new ArrayList<>();
        double horizon = Math.pow(maxLength, alpha);
        boolean maxed = true;
        for (int t = 0; t < maxLength; t++) {
            int n = alive.size();
            int[] tokens = new int[n];
            int[] rowLengths = new int[n];
            Tensor keysN = Tensor.zeros(n, s, hk);
            for (int i = 0; i < n; i++) {
                tokens[i] = alive.get(i).token();
                rowLengths[i] = lengths[row];
                System.arraycopy(keys.data(), row * s * hk, keysN.data(), i * s * hk, s * hk);
            }
            Decoder.Step step = decoder.step(tokens, stack(alive), stackFeed(alive), keysN, rowLengths, false);
            float[] logp = logSoftmax(step.logits()).data();
            int v = step.logits().dim(1);
            // As fairseq does: of the 2k best expansions, an end token among the first k finishes a
            // hypothesis, and the first k others stay alive, so the beam keeps its width.
            List<Candidate> best = top(alive, logp, v, (int) Math.min(2L * width, (long) n * v));
            List<Node> next = new ArrayList<>(best.size());
            for (int rank = 0; rank < best.size() && next.size() < width; rank++) {
                Candidate c = best.get(rank);
                Node parent = alive.get(c.beam());
                float[] w = step.weights() == null ? null : row(step.weights(), c.beam());
                if (c.token() == eos) {
                    if (rank < width) {
                        finished.add(new Node(parent, c.token(), c.logProb(), parent.length() + 1, w, null, null));
                    }
                } else {
                    next.add(new Node(parent, c.token(), c.logProb(), parent.length() + 1, w, unstack(step, c.beam()),
                            step.feed() == null ? null : row(step.feed(), c.beam())));
                }
            }
            alive = next;
            if (alive.isEmpty() || !finished.isEmpty() && bestScore(finished, alpha) >= alive.get(0).logProb() / horizon) {
                // Log-probabilities only fall as prefixes grow, so logProb / maxLength^alpha bounds
                // what a live prefix can still score; the best (first) live prefix has the largest.
                maxed = false;
                break;
            }
        }
        List<Node> pool = new ArrayList<>(finished);
        if (maxed) {
            pool.addAll(alive);
        }
        Node winner = pool.get(0);
        for (Node node : pool) {
            if (node.score(alpha) > winner.score(alpha)) {
                winner = node;
            }
        }
        return hypothesis(winner, alpha);
    }

    private static double bestScore(List<Node> nodes, double alpha) {
        double best = Double.NEGATIVE_INFINITY;
        for (Node node : nodes) {
            best = Math.max(best, node.score(alpha));
        }
        return best;
    }

    /** The {@code m} best expansions by summed log-probability; ties go to the lower beam, then the lower token. */
    private static List<Candidate> top(List<Node> alive, float[] logp, int v, int m) {
        Candidate[] best = new Candidate[m];
        int size = 0;
        for (int i = 0; i < alive.size(); i++) {
            double base = alive.get(i).logProb();
            for (int j = 0; j < v; j++) {
                double score = base + logp[i * v + j];
                if (size == m && score <= best[m - 1].logProb()) {
                    continue;
                }
                int at = size < m ? size++ : m - 1;
                while (at > 0 && best[at - 1].logProb() < score) {
                    best[at] = best[at - 1];
                    at--;
                }
                best[at] = new Candidate(i, j, score);
            }
        }
        return Arrays.asList(best).subList(0, size);
    }

    private Tensor[][] stack(List<Node> nodes) {
        float[][][] first = nodes.get(0).state();
        int h = first[0][0].length;
        Tensor[][] state = new Tensor[first.length][first[0].length];
        for (int l = 0; l < first.length; l++) {
            for (int st = 0; st < first[l].length; st++) {
                Tensor x = Tensor.zeros(nodes.size(), h);
                for (int i = 0; i < nodes.size(); i++) {
                    System.arraycopy(nodes.get(i).state()[l][st], 0, x.data(), i * h, h);
                }
                state[l][st] = x;
            }
        }
        return state;
    }

    private static Tensor stackFeed(List<Node> nodes) {
        if (nodes.get(0).feed() == null) {
            return null;
        }
        int h = nodes.get(0).feed().length;
        Tensor x = Tensor.zeros(nodes.size(), h);
        for (int i = 0; i < nodes.size(); i++) {
            System.arraycopy(nodes.get(i).feed(), 0, x.data(), i * h, h);
        }
        return x;
    }

    private static float[][][] unstack(Decoder.Step step, int i) {
        Tensor[][] state = step.state();
        float[][][] out = new float[state.length][state[0].length][];
        for (int l = 0; l < state.length; l++) {
            for (int st = 0; st < state[l].length; st++) {
                out[l][st] = row(state[l][st], i);
            }
        }
        return out;
    }

    private static float[] row(Tensor x, int r) {
        int w = x.dim(1);
        return Arrays.copyOfRange(x.data(), r * w, (r + 1) * w);
    }

    private static Hypothesis hypothesis(Node last, double alpha) {
        int[] tokens = new int[last.length()];
        float[][] weights = last.weights() == null ? null : new float[last.length()][];
        for (Node node = last; node.parent() != null; node = node.parent()) {
            tokens[node.length() - 1] = node.token();
            if (weights != null) {
                weights[node.length() - 1] = node.weights();
            }
        }
        return new Hypothesis(tokens, last.logProb(), last.score(alpha), weights);
    }
}
