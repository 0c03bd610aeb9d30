package org.rnn4j.attention;

import java.util.Arrays;
import org.rnn4j.core.Shapes;
import org.rnn4j.core.Tensor;

/** Shape checks shared by the built-in scorers. */
final class Scores {

    private Scores() {
    }

    /**
     * Checks {@code query [B, Hq]}, {@code keys [B, S, Hk]}, {@code scores [B, S]}.
     *
     * @return {@code {B, S}}
     */
    static int[] check(String scorer, int querySize, int keySize, Tensor query, Tensor keys, Tensor scores) {
        String op = "scorer '" + scorer + "'";
        Shapes.requireRank(op, "query", query, 2);
        Shapes.requireRank(op, "keys", keys, 3);
        int b = query.dim(0);
        if (query.dim(1) != querySize) {
            throw new IllegalArgumentException(op + ": query has " + query.dim(1) + " features, expected " + querySize
                    + " (shape " + Arrays.toString(query.shape()) + ")");
        }
        if (keys.dim(0) != b || keys.dim(2) != keySize) {
            throw new IllegalArgumentException(op + ": keys must have shape [" + b + ", S, " + keySize + "], given "
                    + Arrays.toString(keys.shape()));
        }
        Shapes.require(op, "scores", scores, b, keys.dim(1));
        return new int[] {b, keys.dim(1)};
    }

    /** Checks a backward call's {@code dScores [B, S]}, and {@code dQuery [B, Hq]} and {@code dKeys [B, S, Hk]} where given. */
    static void checkBackward(String scorer, int b, int s, int querySize, int keySize, Tensor dScores, Tensor dQuery,
                              Tensor dKeys) {
        String op = "scorer '" + scorer + "' backward";
        Shapes.require(op, "dScores", dScores, b, s);
        if (dQuery != null) {
            Shapes.require(op, "dQuery", dQuery, b, querySize);
        }
        if (dKeys != null) {
            Shapes.require(op, "dKeys", dKeys, b, s, keySize);
        }
    }
}
