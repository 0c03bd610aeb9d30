package org.rnn4j.tests.boundaries.planted.examples;

import org.rnn4j.tests.boundaries.planted.cells.PlantedCell;

/** Control: examples may use the library modules. */
public class PlantedExample {
    PlantedCell cell;
}
