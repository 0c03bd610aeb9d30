package org.rnn4j.tests.boundaries.planted.cells;

import org.rnn4j.tests.boundaries.planted.attention.PlantedScorer;
import org.rnn4j.tests.boundaries.planted.nn.PlantedLayer;

/** Breaks "cells, attention and training do not depend on one another" and "cells do not depend on nn". */
public class PlantedAttentiveCell {
    PlantedScorer scorer = new PlantedScorer();
    PlantedLayer layer = new PlantedLayer();
}
