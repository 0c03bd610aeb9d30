package org.rnn4j.tests.boundaries.planted.cells;

import org.rnn4j.tests.boundaries.planted.attention.PlantedScorer;

/** Breaks "cells, attention and training do not depend on one another". */
public class PlantedAttentiveCell {
    PlantedScorer scorer = new PlantedScorer();
}
