package org.rnn4j.tests.boundaries.planted.spi;

import org.rnn4j.tests.boundaries.planted.training.PlantedTrainer;

/** Breaks "spi depends only on core". */
public interface PlantedLeakyContract {
    PlantedTrainer trainer();
}
