package org.rnn4j.training;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.rnn4j.spi.Options;
import org.rnn4j.spi.Plugin;
import org.rnn4j.spi.training.UnrollingProvider;
import org.rnn4j.spi.training.UnrollingStrategy;

/**
 * Truncated backpropagation through time (Williams and Peng 1990): every {@code k1} steps, take the
 * loss of those steps and back-propagate through the last {@code k2} steps ({@code k2 >= k1}),
 * carrying the state forward with its gradient cut. Options {@code k1} (required) and {@code k2}
 * (default {@code k1}). With {@code k1 = k2 = T} it is full BPTT.
 */
@Plugin(name = "truncated-bptt", description = "Truncated BPTT: options k1 (steps per update), k2 (steps back-propagated)")
public final class TruncatedBptt implements UnrollingProvider {

    /** Called by {@link java.util.ServiceLoader}. */
    public TruncatedBptt() {
    }

    @Override
    public UnrollingStrategy create(Options options) {
        options = options.requireOnly("unrolling 'truncated-bptt'", Set.of("k1", "k2"));
        if (!options.has("k1")) {
            throw new IllegalArgumentException("unrolling 'truncated-bptt' needs option k1 (steps per update, >= 1)");
        }
        int k1 = options.integer("k1", 1, 1, Integer.MAX_VALUE);
        int k2 = options.integer("k2", k1, 1, Integer.MAX_VALUE);
        if (k2 < k1) {
            throw new IllegalArgumentException("unrolling 'truncated-bptt': k2 (" + k2 + ") must be >= k1 (" + k1
                    + "): every step's loss must be back-propagated through its own step");
        }
        return length -> {
            requireLength(length);
            List<UnrollingStrategy.Window> windows = new ArrayList<>();
            for (int end = Math.min(k1, length), start = 0; start < length; start = end, end = Math.min(end + k1, length)) {
                windows.add(new UnrollingStrategy.Window(Math.max(0, end - k2), start, end));
            }
            return windows;
        };
    }

    static void requireLength(int length) {
        if (length < 1) {
            throw new IllegalArgumentException("unrolling: sequence length must be >= 1, given " + length);
        }
    }
}
