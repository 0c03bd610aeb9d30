package org.rnn4j.attention;

import org.rnn4j.spi.Plugin;
import org.rnn4j.spi.attention.AttentionScorer;
import org.rnn4j.spi.attention.ScorerProvider;
import org.rnn4j.spi.attention.ScorerSpec;

/** The scaled dot score {@code q . k / sqrt(d)} (Vaswani et al. 2017); no parameters. */
@Plugin(name = "scaled-dot", description = "Scaled dot product q . k / sqrt(d); query and key sizes must be equal")
public final class ScaledDotScorer implements ScorerProvider {

    /** Called by {@link java.util.ServiceLoader}. */
    public ScaledDotScorer() {
    }

    @Override
    public AttentionScorer create(ScorerSpec spec) {
        return DotScorer.scaled("scaled-dot", spec, (float) (1.0 / Math.sqrt(spec.keySize())));
    }
}
