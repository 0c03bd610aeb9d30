package org.rnn4j.tests.boundaries.planted.training;

import org.rnn4j.tests.boundaries.fake.apache.spark.SparkContext;
import org.rnn4j.tests.boundaries.planted.spark.PlantedSparkJob;

/** Breaks "no library module depends on spark" twice: the spark module and Apache Spark. */
public class PlantedDistributedTrainer {
    PlantedSparkJob job;
    SparkContext context;
}
