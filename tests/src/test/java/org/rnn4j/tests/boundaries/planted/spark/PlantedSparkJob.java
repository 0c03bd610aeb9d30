package org.rnn4j.tests.boundaries.planted.spark;

/** Target of a planted dependency from training. */
public class PlantedSparkJob {
}
