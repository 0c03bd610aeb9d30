package org.rnn4j.tests.boundaries.planted.training;

import org.rnn4j.tests.boundaries.planted.bench.PlantedBenchmark;

/** Breaks "nothing depends on examples or bench" (bench). */
public class PlantedTrainer {
    PlantedBenchmark timing;
}
