package org.rnn4j.tests.boundaries.planted.nn;

import org.rnn4j.tests.boundaries.planted.spi.PlantedContract;

/** Keeps "nn depends only on core and spi": it uses a contract only. */
public final class PlantedLayer {
    public PlantedContract contract() {
        return null;
    }
}
