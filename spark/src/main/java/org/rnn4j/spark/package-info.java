/**
 * Scale-out on Apache Spark: synchronous data-parallel training through the ordinary
 * {@link org.rnn4j.training.Trainer} ({@link org.rnn4j.spark.SparkTrainer}), input pipelines from
 * RDDs and Datasets with the local tokenizers and windowing ({@link org.rnn4j.spark.SparkText},
 * {@link org.rnn4j.spark.SparkSeries}), and hyper-parameter sweeps with one model per Spark task
 * ({@link org.rnn4j.spark.Sweep}).
 *
 * <p>This module runs on the class path, as Spark applications do (Spark's own jars split
 * packages, so they cannot be named modules); its jar's automatic module name is
 * {@code org.rnn4j.spark}. No library module depends on it.
 */
package org.rnn4j.spark;
