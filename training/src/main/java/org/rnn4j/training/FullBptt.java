package org.rnn4j.training;

import java.util.List;
import java.util.Set;
import org.rnn4j.spi.Options;
import org.rnn4j.spi.Plugin;
import org.rnn4j.spi.training.UnrollingProvider;
import org.rnn4j.spi.training.UnrollingStrategy;

/** Full backpropagation through time: one window over the whole sequence. No options. */
@Plugin(name = "bptt", description = "Full backpropagation through time: one window over the whole sequence")
public final class FullBptt implements UnrollingProvider {

    /** Called by {@link java.util.ServiceLoader}. */
    public FullBptt() {
    }

    @Override
    public UnrollingStrategy create(Options options) {
        options.requireOnly("unrolling 'bptt'", Set.of());
        return length -> {
            TruncatedBptt.requireLength(length);
            return List.of(new UnrollingStrategy.Window(0, 0, length));
        };
    }
}
