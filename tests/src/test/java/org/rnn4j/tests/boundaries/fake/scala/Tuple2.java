package org.rnn4j.tests.boundaries.fake.scala;

/** Stands in for scala.Tuple2, a class of Spark's transitive world that is not Spark itself. */
public final class Tuple2 {
}
