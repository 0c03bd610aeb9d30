/**
 * Third-party plugins: the minimal gated unit cell, registered as {@code mgu}, and the low-rank
 * attention scorer, registered as {@code low-rank}. They depend only on the plugin contracts; the
 * layer and model APIs find them by name at run time.
 */
module org.rnn4j.examples.mgu {
    requires org.rnn4j.spi;

    provides org.rnn4j.spi.cell.CellProvider with org.rnn4j.examples.mgu.MguProvider;
    provides org.rnn4j.spi.attention.ScorerProvider with org.rnn4j.examples.lowrank.LowRankScorer;
}
