package org.rnn4j.tests.boundaries.fake.apache.spark;

/** Stands in for org.apache.spark.SparkContext. */
public final class SparkContext {
}
