package org.rnn4j.examples.lab;

/** How much work a lab does. */
enum Size {
    /** Seconds per lab: the integration test's mode; the numbers mean little. */
    TINY,
    /** The default run: every lab together within about ten minutes on two cores. */
    DEFAULT,
    /** The longer, better run. */
    FULL;

    /** Picks the value for this size. */
    int pick(int tiny, int normal, int full) {
        return switch (this) {
            case TINY -> tiny;
            case DEFAULT -> normal;
            case FULL -> full;
        };
    }
}
