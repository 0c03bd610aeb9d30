package org.rnn4j.attention;

import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.rnn4j.core.Parameter;
import org.rnn4j.core.Tensor;
import org.rnn4j.core.kernel.Kernels;
import org.rnn4j.spi.Plugin;
import org.rnn4j.spi.attention.AttentionScorer;
import org.rnn4j.spi.attention.ScorerProvider;
import org.rnn4j.spi.attention.ScorerSpec;
import org.rnn4j.spi.cell.Init;

/** Luong's general (bilinear) score {@code q^T W k} with {@code W [Hq, Hk]}. */
@Plugin(name = "general", description = "Bilinear q^T W k (Luong general); parameter W [Hq, Hk]")
public final class GeneralScorer implements ScorerProvider {

    /** Called by {@link java.util.ServiceLoader}. */
    public GeneralScorer() {
    }

    @Override
    public AttentionScorer create(ScorerSpec spec) {
        spec.options().requireOnly("scorer 'general'", Set.of());
        int hq = spec.querySize();
        int hk = spec.keySize();
        Parameter w = Parameter.zeros("W", hq, hk);
        Init.uniform(w.value(), 1 / Math.sqrt(hk), new SplittableRandom(spec.seed()));
        Kernels k = Kernels.get();
        return new AttentionScorer() {
            @Override
            public List<Parameter> parameters() {
                return List.of(w);
            }

            @Override
            public Backward score(Tensor query, Tensor keys, Tensor scores, boolean training) {
                int[] bs = Scores.check("general", hq, hk, query, keys, scores);
                int b = bs[0];
                int s = bs[1];
                // u = q W  [B, Hk]; score[b] = keys[b] u[b]
                float[] u = new float[b * hk];
                k.gemm(false, false, b, hk, hq, 1f, query.data(), 0, hq, w.value().data(), 0, hk, 0f, u, 0, hk);
                for (int r = 0; r < b; r++) {
                    k.gemv(false, s, hk, 1f, keys.data(), r * s * hk, hk, u, r * hk, 0f, scores.data(), r * s);
                }
                if (!training) {
                    return null;
                }
                return (dScores, dQuery, dKeys) -> {
                    Scores.checkBackward("general", b, s, hq, hk, dScores, dQuery, dKeys);
                    float[] du = new float[b * hk];
                    for (int r = 0; r < b; r++) {
                        k.gemv(true, s, hk, 1f, keys.data(), r * s * hk, hk, dScores.data(), r * s, 0f, du, r * hk);
                        if (dKeys != null) {
                            for (int j = 0; j < s; j++) {
                                k.axpy(hk, dScores.data()[r * s + j], u, r * hk, dKeys.data(), (r * s + j) * hk);
                            }
                        }
                    }
                    k.gemm(true, false, hq, hk, b, 1f, query.data(), 0, hq, du, 0, hk, 1f, w.grad().data(), 0, hk);
                    if (dQuery != null) {
                        k.gemm(false, true, b, hq, hk, 1f, du, 0, hk, w.value().data(), 0, hk, 1f, dQuery.data(), 0, hq);
                    }
                };
            }
        };
    }
}
