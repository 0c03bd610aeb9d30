package org.rnn4j.tests.boundaries.planted.nn;

import org.rnn4j.tests.boundaries.planted.cells.PlantedCell;

/** Breaks "nn depends only on core and spi": it reaches into a plugin module. */
public final class PlantedGreedyLayer {
    public PlantedCell cell() {
        return null;
    }
}
