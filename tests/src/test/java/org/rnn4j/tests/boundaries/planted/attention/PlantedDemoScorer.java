package org.rnn4j.tests.boundaries.planted.attention;

import org.rnn4j.tests.boundaries.planted.examples.PlantedExample;

/** Breaks "nothing depends on examples or bench" (examples). */
public class PlantedDemoScorer {
    PlantedExample demo;
}
