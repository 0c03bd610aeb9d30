package org.rnn4j.tests.boundaries.planted.spi;

import org.rnn4j.tests.boundaries.planted.core.PlantedTensor;

/** Control: spi may use core. */
public interface PlantedContract {
    PlantedTensor apply(PlantedTensor input);
}
