package org.rnn4j.examples.lab;

import java.io.IOException;

/** One lab: trains on real data, evaluates on a held-out part, and reports its metrics next to baselines. */
interface Experiment {

    /** Short name on the command line, e.g. {@code forecast}. */
    String name();

    /** One line saying what the lab shows. */
    String title();

    /** What a file given with {@code --data} must hold for this lab. */
    String dataHelp();

    /** Runs the lab. */
    Findings run(LabRun run) throws IOException;
}
