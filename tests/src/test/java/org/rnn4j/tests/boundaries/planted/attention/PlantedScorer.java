package org.rnn4j.tests.boundaries.planted.attention;

/** Control: a plugin class that depends on nothing. */
public class PlantedScorer {
}
