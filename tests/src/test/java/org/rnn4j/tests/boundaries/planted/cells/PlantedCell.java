package org.rnn4j.tests.boundaries.planted.cells;

import org.rnn4j.tests.boundaries.planted.core.PlantedTensor;
import org.rnn4j.tests.boundaries.planted.spi.PlantedContract;

/** Allowed uses of core and spi; with PlantedTensor it closes a core-cells cycle. */
public class PlantedCell implements PlantedContract {
    @Override
    public PlantedTensor apply(PlantedTensor input) {
        return input;
    }
}
