package org.rnn4j.tests.boundaries.planted.core;

/** Control: a core class that depends only on the JDK. */
public record PlantedShape(int[] dims) {
}
