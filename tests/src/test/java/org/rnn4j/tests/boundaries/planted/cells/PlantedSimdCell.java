package org.rnn4j.tests.boundaries.planted.cells;

import org.rnn4j.tests.boundaries.fake.incubator.vector.FloatVector;

/** Breaks "only core uses the Vector API". */
public class PlantedSimdCell {
    FloatVector lanes;
}
