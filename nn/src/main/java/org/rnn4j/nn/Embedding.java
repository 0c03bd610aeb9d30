package org.rnn4j.nn;

import java.util.List;
import java.util.SplittableRandom;
import org.rnn4j.core.Parameter;
import org.rnn4j.core.Tensor;

/**
 * Token ids to vectors (PyTorch's {@code nn.Embedding}: {@code weight [V, E]}). The optional
 * padding id maps to a zero vector and its row receives no gradient, so padded steps stay inert.
 * Inference is thread-safe; backward passes accumulate into the weight's gradient.
 */
public final class Embedding {

    private final int vocabulary;
    private final int dim;
    private final int paddingId;
    private final Parameter weight;

    /**
     * A table of {@code vocabulary} vectors of size {@code dim}, drawn from N(0, 1) but for the padding row (zeros).
     *
     * @param vocabulary number of token ids, {@code >= 1}
     * @param dim        vector size, {@code >= 1}
     * @param paddingId  the padding id in {@code [0, vocabulary)}, or -1 for none
     * @param seed       seed of the N(0, 1) initialization (PyTorch's)
     * @throws IllegalArgumentException when a size or the padding id is out of range
     */
    public Embedding(int vocabulary, int dim, int paddingId, long seed) {
        if (vocabulary < 1 || dim < 1) {
            throw new IllegalArgumentException("Embedding: sizes must be >= 1, given vocabulary=" + vocabulary
                    + ", dim=" + dim);
        }
        if (paddingId < -1 || paddingId >= vocabulary) {
            throw new IllegalArgumentException("Embedding: paddingId must be -1 or in [0, " + vocabulary + "), given "
                    + paddingId);
        }
        this.vocabulary = vocabulary;
        this.dim = dim;
        this.paddingId = paddingId;
        this.weight = Parameter.zeros("weight", vocabulary, dim);
        SplittableRandom rng = new SplittableRandom(seed);
        float[] w = weight.value().data();
        for (int i = 0; i < w.length; i++) {
            double u1 = rng.nextDouble();
            double u2 = rng.nextDouble();
            w[i] = (float) (Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2));
        }
        if (paddingId >= 0) {
            java.util.Arrays.fill(w, paddingId * dim, (paddingId + 1) * dim, 0f);
        }
    }

    /** Number of token ids. */
    public int vocabularySize() {
        return vocabulary;
    }

    /** Vector size. */
    public int dim() {
        return dim;
    }

    /** {@code weight}. */
    public List<Parameter> parameters() {
        return List.of(weight);
    }

    /** The result of one lookup, with its backward pass. */
    public final class Output {
        private final int[][] ids;
        private final Tensor y;
        private boolean backwardDone;

        private Output(int[][] ids, Tensor y) {
            this.ids = ids;
            this.y = y;
        }

        /** {@code [B, T, dim]}. */
        public Tensor value() {
            return y;
        }

        /**
         * Accumulates {@code dy [B, T, dim]} into the rows of the ids looked up (none for padding).
         *
         * @throws IllegalStateException when it already ran: a second run would add the gradients twice
         */
        public void backward(Tensor dy) {
            org.rnn4j.core.Shapes.requireSame("Embedding.backward", "dy", y, dy);
            if (backwardDone) {
                throw new IllegalStateException("Embedding.backward: already ran for this lookup");
            }
            backwardDone = true;
            float[] g = weight.grad().data();
            int t = ids.length == 0 ? 0 : ids[0].length;
            for (int b = 0; b < ids.length; b++) {
                for (int s = 0; s < t; s++) {
                    int id = ids[b][s];
                    if (id == paddingId) {
                        continue;
                    }
                    int src = (b * t + s) * dim;
                    for (int j = 0; j < dim; j++) {
                        g[id * dim + j] += dy.data()[src + j];
                    }
                }
            }
        }
    }

    /**
     * Looks up a batch of equally long id sequences (pad shorter ones with the padding id).
     *
     * @param ids {@code [B][T]}
     * @throws IllegalArgumentException when rows differ in length or an id is out of range, naming it
     */
    public Output forward(int[][] ids) {
        requireRows("Embedding.forward", ids);
        int t = ids.length == 0 ? 0 : ids[0].length;
        Tensor y = Tensor.zeros(ids.length, t, dim);
        float[] w = weight.value().data();
        for (int b = 0; b < ids.length; b++) {
            if (ids[b].length != t) {
                throw new IllegalArgumentException("Embedding.forward: row " + b + " has " + ids[b].length
                        + " ids, row 0 has " + t + "; pad rows to one length");
            }
            for (int s = 0; s < t; s++) {
                int id = ids[b][s];
                if (id < 0 || id >= vocabulary) {
                    throw new IllegalArgumentException("Embedding.forward: id " + id + " at [" + b + ", " + s
                            + "] is outside [0, " + vocabulary + ")");
                }
                System.arraycopy(w, id * dim, y.data(), (b * t + s) * dim, dim);
            }
        }
        int[][] kept = new int[ids.length][];
        for (int b = 0; b < ids.length; b++) {
            kept[b] = ids[b].clone();
        }
        return new Output(kept, y);
    }

    /**
     * One-hot vectors of {@code [B][T]} ids in {@code [0, classes)}: {@code [B, T, classes]}.
     *
     * @throws IllegalArgumentException when {@code classes < 1} or an id is out of range, naming it
     */
    public static Tensor oneHot(int[][] ids, int classes) {
        if (classes < 1) {
            throw new IllegalArgumentException("oneHot: classes must be >= 1, given " + classes);
        }
        requireRows("oneHot", ids);
        int t = ids.length == 0 ? 0 : ids[0].length;
        Tensor y = Tensor.zeros(ids.length, t, classes);
        for (int b = 0; b < ids.length; b++) {
            if (ids[b].length != t) {
                throw new IllegalArgumentException("oneHot: row " + b + " has " + ids[b].length + " ids, row 0 has " + t);
            }
            for (int s = 0; s < t; s++) {
                int id = ids[b][s];
                if (id < 0 || id >= classes) {
                    throw new IllegalArgumentException("oneHot: id " + id + " at [" + b + ", " + s + "] is outside [0, "
                            + classes + ")");
                }
                y.data()[(b * t + s) * classes + id] = 1f;
            }
        }
        return y;
    }

    private static void requireRows(String op, int[][] ids) {
        java.util.Objects.requireNonNull(ids, op + ": ids");
        for (int b = 0; b < ids.length; b++) {
            if (ids[b] == null) {
                throw new IllegalArgumentException(op + ": row " + b + " of ids is null");
            }
        }
    }

    @Override
    public String toString() {
        return "Embedding[" + vocabulary + " x " + dim + (paddingId >= 0 ? ", padding " + paddingId : "") + "]";
    }
}
