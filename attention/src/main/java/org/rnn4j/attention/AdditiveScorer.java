package org.rnn4j.attention;

import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.rnn4j.core.Memory;
import org.rnn4j.core.Parameter;
import org.rnn4j.core.Tensor;
import org.rnn4j.core.kernel.Kernels;
import org.rnn4j.spi.Plugin;
import org.rnn4j.spi.attention.AttentionScorer;
import org.rnn4j.spi.attention.ScorerProvider;
import org.rnn4j.spi.attention.ScorerSpec;
import org.rnn4j.spi.cell.Init;

/**
 * Bahdanau's additive ("concat") score {@code v . tanh(W1 q + W2 k)} with {@code W1 [A, Hq]},
 * {@code W2 [A, Hk]}, {@code v [A]}; {@code A} is the spec's attention size.
 */
@Plugin(name = "additive", description = "Additive v . tanh(W1 q + W2 k) (Bahdanau); parameters W1, W2, v")
public final class AdditiveScorer implements ScorerProvider {

    /** Called by {@link java.util.ServiceLoader}. */
    public AdditiveScorer() {
    }

    @Override
    public AttentionScorer create(ScorerSpec spec) {
        spec.options().requireOnly("scorer 'additive'", Set.of());
        int hq = spec.querySize();
        int hk = spec.keySize();
        int a = spec.attentionSize();
        if (a < 1) {
            throw new IllegalArgumentException("scorer 'additive' needs an attention size >= 1, given " + a);
        }
        Parameter w1 = Parameter.zeros("W1", a, hq);
        Parameter w2 = Parameter.zeros("W2", a, hk);
        Parameter v = Parameter.zeros("v", a);
        SplittableRandom rng = new SplittableRandom(spec.seed());
        Init.uniform(w1.value(), 1 / Math.sqrt(hq), rng);
        Init.uniform(w2.value(), 1 / Math.sqrt(hk), rng);
        Init.uniform(v.value(), 1 / Math.sqrt(a), rng);
        Kernels k = Kernels.get();
        return new AttentionScorer() {
            @Override
            public List<Parameter> parameters() {
                return List.of(w1, w2, v);
            }

            @Override
            public Backward score(Tensor query, Tensor keys, Tensor scores, boolean training) {
                int[] bs = Scores.check("additive", hq, hk, query, keys, scores);
                int b = bs[0];
                int s = bs[1];
                // pq = q W1^T [B, A]; u = tanh(pq[b] + keys W2^T) [B*S, A]
                float[] pq = new float[Memory.floats("scorer 'additive'", b, a)];
                k.gemm(false, true, b, a, hq, 1f, query.data(), 0, hq, w1.value().data(), 0, hq, 0f, pq, 0, a);
                float[] u = new float[Memory.floats("scorer 'additive'", b, s, a)];
                k.gemm(false, true, b * s, a, hk, 1f, keys.data(), 0, hk, w2.value().data(), 0, hk, 0f, u, 0, a);
                for (int r = 0; r < b; r++) {
                    for (int j = 0; j < s; j++) {
                        k.add(a, u, (r * s + j) * a, pq, r * a, u, (r * s + j) * a);
                    }
                }
                k.tanh(u.length, u, 0, u, 0);
                k.gemv(false, b * s, a, 1f, u, 0, a, v.value().data(), 0, 0f, scores.data(), 0);
                if (!training) {
                    return null;
                }
                return (dScores, dQuery, dKeys) -> {
                    Scores.checkBackward("additive", b, s, hq, hk, dScores, dQuery, dKeys);
                    // dv = u^T ds; e = ds * v * (1 - u^2) [B*S, A]
                    k.gemv(true, b * s, a, 1f, u, 0, a, dScores.data(), 0, 1f, v.grad().data(), 0);
                    float[] e = new float[u.length];
                    for (int row = 0; row < b * s; row++) {
                        k.scale(a, dScores.data()[row], v.value().data(), 0, e, row * a);
                    }
                    k.tanhBackward(e.length, u, 0, e, 0, e, 0);
                    k.gemm(true, false, a, hk, b * s, 1f, e, 0, a, keys.data(), 0, hk, 1f, w2.grad().data(), 0, hk);
                    float[] eq = new float[b * a];
                    for (int r = 0; r < b; r++) {
                        for (int j = 0; j < s; j++) {
                            k.axpy(a, 1f, e, (r * s + j) * a, eq, r * a);
                        }
                    }
                    k.gemm(true, false, a, hq, b, 1f, eq, 0, a, query.data(), 0, hq, 1f, w1.grad().data(), 0, hq);
                    if (dQuery != null) {
                        k.gemm(false, false, b, hq, a, 1f, eq, 0, a, w1.value().data(), 0, hq, 1f, dQuery.data(), 0, hq);
                    }
                    if (dKeys != null) {
                        k.gemm(false, false, b * s, hk, a, 1f, e, 0, a, w2.value().data(), 0, hk, 1f, dKeys.data(), 0, hk);
                    }
                };
            }
        };
    }
}
