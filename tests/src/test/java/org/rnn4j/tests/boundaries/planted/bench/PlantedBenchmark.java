package org.rnn4j.tests.boundaries.planted.bench;

/** Target of a planted dependency from training. */
public class PlantedBenchmark {
}
