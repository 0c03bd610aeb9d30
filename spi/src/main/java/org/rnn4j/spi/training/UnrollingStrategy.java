package org.rnn4j.spi.training;

import java.util.List;

/**
 * How backpropagation through time cuts a long sequence. The trainer runs each window in order:
 * it starts from the state reached at {@code gradientStart} (carried, with its gradient cut),
 * runs forward to {@code end}, takes the loss of steps {@code [lossStart, end)}, and
 * back-propagates through steps {@code [gradientStart, end)}. Full BPTT is one window
 * {@code (0, 0, T)}; truncated BPTT with k1 = k2 = k is {@code (0, 0, k), (k, k, 2k), ...}.
 */
public interface UnrollingStrategy {

    /**
     * The windows for a sequence of {@code length} steps; their loss ranges cover every step once.
     *
     * @throws IllegalArgumentException when {@code length < 1}
     */
    List<Window> windows(int length);

    /**
     * One window of work.
     *
     * @param gradientStart first step gradients flow through
     * @param lossStart     first step whose loss counts, {@code >= gradientStart}
     * @param end           one past the last step
     */
    record Window(int gradientStart, int lossStart, int end) {
        /** Validates the order {@code 0 <= gradientStart <= lossStart < end}. */
        public Window {
            if (gradientStart < 0 || lossStart < gradientStart || end <= lossStart) {
                throw new IllegalArgumentException("window needs 0 <= gradientStart <= lossStart < end, given "
                        + gradientStart + ", " + lossStart + ", " + end);
            }
        }
    }
}
