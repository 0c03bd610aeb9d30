package org.rnn4j.tests.boundaries.planted.models;

import org.rnn4j.tests.boundaries.fake.scala.Tuple2;

/** Breaks "library modules depend only on the JDK and rnn4j" with a third-party class that is not Spark's. */
public final class PlantedPairModel {
    Tuple2 pair;
}
