package org.rnn4j.spark;

import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

/**
 * One Spark context in {@code local[2]} mode for every test class (a JVM holds one, and starting
 * it takes seconds), with Kryo and {@link KryoRecords} as a cluster would be configured. Spark
 * stops it at JVM exit.
 */
final class LocalSpark {

    private static JavaSparkContext context;

    private LocalSpark() {
    }

    static synchronized JavaSparkContext context() {
        if (context == null) {
            SparkConf conf = new SparkConf().setMaster("local[2]").setAppName("rnn4j-spark-tests")
                    .set("spark.serializer", "org.apache.spark.serializer.KryoSerializer")
                    .set("spark.kryo.registrator", KryoRecords.class.getName())
                    .set("spark.ui.enabled", "false")
                    .set("spark.sql.shuffle.partitions", "2")
                    .set("spark.driver.host", "127.0.0.1")
                    .set("spark.driver.bindAddress", "127.0.0.1");
            context = new JavaSparkContext(conf);
        }
        return context;
    }

    static SparkSession session() {
        return SparkSession.builder().sparkContext(context().sc()).getOrCreate();
    }
}
