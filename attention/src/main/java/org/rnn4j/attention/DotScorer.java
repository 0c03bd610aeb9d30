package org.rnn4j.attention;

import java.util.List;
import java.util.Set;
import org.rnn4j.core.Parameter;
import org.rnn4j.core.Tensor;
import org.rnn4j.core.kernel.Kernels;
import org.rnn4j.spi.Plugin;
import org.rnn4j.spi.attention.AttentionScorer;
import org.rnn4j.spi.attention.ScorerProvider;
import org.rnn4j.spi.attention.ScorerSpec;

/** Luong's dot score {@code q . k} (query and key sizes equal); no parameters. */
@Plugin(name = "dot", description = "Dot product q . k (Luong); query and key sizes must be equal")
public final class DotScorer implements ScorerProvider {

    /** Called by {@link java.util.ServiceLoader}. */
    public DotScorer() {
    }

    @Override
    public AttentionScorer create(ScorerSpec spec) {
        return scaled("dot", spec, 1f);
    }

    /** A dot-product scorer multiplying every score by {@code factor}. */
    static AttentionScorer scaled(String name, ScorerSpec spec, float factor) {
        spec.options().requireOnly("scorer '" + name + "'", Set.of());
        if (spec.querySize() != spec.keySize()) {
            throw new IllegalArgumentException("scorer '" + name + "' needs equal query and key sizes, given "
                    + spec.querySize() + " and " + spec.keySize());
        }
        int h = spec.keySize();
        Kernels k = Kernels.get();
        return new AttentionScorer() {
            @Override
            public List<Parameter> parameters() {
                return List.of();
            }

            @Override
            public Backward score(Tensor query, Tensor keys, Tensor scores, boolean training) {
                int[] bs = Scores.check(name, h, h, query, keys, scores);
                int b = bs[0];
                int s = bs[1];
                for (int r = 0; r < b; r++) {
                    // scores[r] = keys[r] (S x H) . query[r]
                    k.gemv(false, s, h, factor, keys.data(), r * s * h, h, query.data(), r * h, 0f, scores.data(), r * s);
                }
                if (!training) {
                    return null;
                }
                return (dScores, dQuery, dKeys) -> {
                    Scores.checkBackward(name, b, s, h, h, dScores, dQuery, dKeys);
                    for (int r = 0; r < b; r++) {
                        if (dQuery != null) {
                            k.gemv(true, s, h, factor, keys.data(), r * s * h, h, dScores.data(), r * s, 1f,
                                    dQuery.data(), r * h);
                        }
                        if (dKeys != null) {
                            for (int j = 0; j < s; j++) {
                                k.axpy(h, factor * dScores.data()[r * s + j], query.data(), r * h, dKeys.data(),
                                        (r * s + j) * h);
                            }
                        }
                    }
                };
            }
        };
    }
}
