package org.rnn4j.tests.boundaries.planted.core;

import org.rnn4j.tests.boundaries.planted.cells.PlantedCell;

/** Breaks "core depends on no other module" and, with PlantedCell, "free of cycles". */
public class PlantedTensor {
    PlantedShape shape;
    PlantedCell owner;
}
