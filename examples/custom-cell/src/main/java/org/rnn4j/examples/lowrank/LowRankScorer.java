package org.rnn4j.examples.lowrank;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.rnn4j.core.Parameter;
import org.rnn4j.core.Shapes;
import org.rnn4j.core.Tensor;
import org.rnn4j.core.kernel.Kernels;
import org.rnn4j.spi.Plugin;
import org.rnn4j.spi.attention.AttentionScorer;
import org.rnn4j.spi.attention.ScorerProvider;
import org.rnn4j.spi.attention.ScorerSpec;
import org.rnn4j.spi.cell.Init;

/**
 * A third-party attention scorer: the low-rank multiplicative score {@code q^T U V^T k}, Luong's
 * general score with its {@code [Hq, Hk]} matrix factored into {@code U [Hq, r]} and
 * {@code V [Hk, r]}, so it needs {@code r (Hq + Hk)} parameters instead of {@code Hq Hk}. Option
 * {@code rank} ({@code r}, default 8); a rank above {@code min(Hq, Hk)} is allowed but adds nothing.
 * Forward and backward are written by hand with the kernels; the framework supplies the masked
 * softmax and the weighted sum around it.
 */
@Plugin(name = "low-rank", description = "Low-rank bilinear q^T U V^T k; option rank (default 8); parameters U [Hq, r], V [Hk, r]")
public final class LowRankScorer implements ScorerProvider {

    /** Called by {@link java.util.ServiceLoader}. */
    public LowRankScorer() {
    }

    @Override
    public AttentionScorer create(ScorerSpec spec) {
        int rank = spec.options().requireOnly("scorer 'low-rank'", Set.of("rank")).integer("rank", 8, 1, 4096);
        int hq = spec.querySize();
        int hk = spec.keySize();
        Parameter u = Parameter.zeros("U", hq, rank);
        Parameter v = Parameter.zeros("V", hk, rank);
        SplittableRandom rng = new SplittableRandom(spec.seed());
        Init.uniform(u.value(), 1 / Math.sqrt(hq), rng);
        Init.uniform(v.value(), 1 / Math.sqrt(hk), rng);
        Kernels k = Kernels.get();
        return new AttentionScorer() {
            @Override
            public List<Parameter> parameters() {
                return List.of(u, v);
            }

            @Override
            public Backward score(Tensor query, Tensor keys, Tensor scores, boolean training) {
                String op = "scorer 'low-rank'";
                Shapes.requireRank(op, "query", query, 2);
                Shapes.requireRank(op, "keys", keys, 3);
                int b = query.dim(0);
                int s = keys.dim(1);
                if (query.dim(1) != hq || keys.dim(0) != b || keys.dim(2) != hk) {
                    throw new IllegalArgumentException(op + ": expected query [B, " + hq + "] and keys [B, S, " + hk
                            + "], given " + Arrays.toString(query.shape()) + " and " + Arrays.toString(keys.shape()));
                }
                Shapes.require(op, "scores", scores, b, s);
                // pq = q U [B, r]; pk = keys V [B*S, r]; score[b, j] = pk[b, j] . pq[b]
                float[] pq = new float[b * rank];
                float[] pk = new float[b * s * rank];
                k.gemm(false, false, b, rank, hq, 1f, query.data(), 0, hq, u.value().data(), 0, rank, 0f, pq, 0, rank);
                k.gemm(false, false, b * s, rank, hk, 1f, keys.data(), 0, hk, v.value().data(), 0, rank, 0f, pk, 0, rank);
                for (int r = 0; r < b; r++) {
                    k.gemv(false, s, rank, 1f, pk, r * s * rank, rank, pq, r * rank, 0f, scores.data(), r * s);
                }
                if (!training) {
                    return null;
                }
                return (dScores, dQuery, dKeys) -> {
                    float[] dpq = new float[b * rank];
                    float[] dpk = new float[b * s * rank];
                    float[] ds = dScores.data();
                    for (int r = 0; r < b; r++) {
                        k.gemv(true, s, rank, 1f, pk, r * s * rank, rank, ds, r * s, 0f, dpq, r * rank);
                        for (int j = 0; j < s; j++) {
                            k.scale(rank, ds[r * s + j], pq, r * rank, dpk, (r * s + j) * rank);
                        }
                    }
                    k.gemm(true, false, hq, rank, b, 1f, query.data(), 0, hq, dpq, 0, rank, 1f, u.grad().data(), 0, rank);
                    k.gemm(true, false, hk, rank, b * s, 1f, keys.data(), 0, hk, dpk, 0, rank, 1f, v.grad().data(), 0,
                            rank);
                    if (dQuery != null) {
                        k.gemm(false, true, b, hq, rank, 1f, dpq, 0, rank, u.value().data(), 0, rank, 1f, dQuery.data(), 0,
                                hq);
                    }
                    if (dKeys != null) {
                        k.gemm(false, true, b * s, hk, rank, 1f, dpk, 0, rank, v.value().data(), 0, rank, 1f,
                                dKeys.data(), 0, hk);
                    }
                };
            }
        };
    }
}
