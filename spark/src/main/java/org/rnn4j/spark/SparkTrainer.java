package org.rnn4j.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import org.apache.spark.Partitioner;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.storage.StorageLevel;
import org.rnn4j.core.Parameter;
import org.rnn4j.spi.training.DecoderInputPolicy;
import org.rnn4j.spi.training.Trainable;
import org.rnn4j.spi.training.UnrollingStrategy;
import org.rnn4j.training.Trainer;
import scala.Tuple2;

/**
 * Synchronous data-parallel training on Apache Spark, through the ordinary {@link Trainer}: its
 * samplers, gradient transforms, optimizers, schedules, validation, early stopping, listeners,
 * checkpoints and exact resumption all work unchanged, because the trainer drives a
 * {@link Trainable} whose {@code train} runs one Spark job per step:
 *
 * <ol>
 *   <li>the driver broadcasts the model's weights (float arrays, in parameter order);</li>
 *   <li>each partition takes the examples of the batch that it holds (its shard), collates them
 *       with the ordinary collate function and runs the model's own {@code train} on them, in a
 *       model instance that the executor built with the serializable factory;</li>
 *   <li>the partitions' gradients, each times its item count, are summed with
 *       {@code treeAggregate} over a fixed binary tree of partition indexes ({@link ShardSum}), and
 *       divided by the batch's item count, so the gradient is the batch mean that one machine would
 *       compute, and the same whatever order the tasks finish in;</li>
 *   <li>the trainer on the driver applies the gradient transforms (clipping) and the optimizer.</li>
 * </ol>
 *
 * <p>The same seed and partitioning give the same weights run to run; with one partition, training
 * equals single-machine {@link Trainer} training bit for bit. With several, shards draw their
 * dropout masks from the seed mixed with the partition index.
 *
 * <pre>{@code
 * SparkTrainer<int[], SequenceBatch> spark = SparkTrainer.of(sc, model, factory,
 *         batch -> Batches.languageModel(batch, Vocabulary.PAD));
 * try (DistributedData<int[]> data = spark.distribute(examples, 8)) {
 *     Trainer<Integer, SparkBatch> trainer = spark.trainer(data)
 *             .optimizer("adam", Options.empty()).gradientTransform("clip-norm", Options.of("max_norm", "1"))
 *             .batchSize(256).epochs(5).validationFraction(0.05).checkpoints(dir, 500, 3)
 *             .build();
 *     trainer.fit(data.ids());      // or trainer.resume(Checkpoints.latest(dir).orElseThrow(), data.ids())
 * }
 * }</pre>
 *
 * <p>Each batch is computed whole, in one window: unrolling strategies that cut a batch into several
 * windows ({@code truncated-bptt} shorter than a batch) are refused at the first batch they would
 * cut, because executors keep no recurrent state from one step to the next. Validation runs one Spark job per
 * validation batch. A trainer and its data are driven from one driver thread.
 *
 * @param <E> the type of one example, as held in the RDD
 * @param <B> the batch type the model takes
 */
public final class SparkTrainer<E, B> {

    private final JavaSparkContext spark;
    private final Trainable<B> model;
    private final SerializableSupplier<? extends Trainable<B>> factory;
    private final SerializableFunction<List<E>, B> collate;
    private final String run = UUID.randomUUID().toString();
    private final int depth;

    private SparkTrainer(JavaSparkContext spark, Trainable<B> model, SerializableSupplier<? extends Trainable<B>> factory,
                         SerializableFunction<List<E>, B> collate, int depth) {
        this.spark = Objects.requireNonNull(spark, "spark");
        this.model = Objects.requireNonNull(model, "model");
        this.factory = Objects.requireNonNull(factory, "factory");
        this.collate = Objects.requireNonNull(collate, "collate");
        if (depth < 1) {
            throw new IllegalArgumentException("SparkTrainer: the aggregation depth must be >= 1, given " + depth);
        }
        this.depth = depth;
    }

    /**
     * A data-parallel trainer of {@code model}.
     *
     * @param spark   the Spark context
     * @param model   the driver's model: the trainer updates its weights, and checkpoints save them
     * @param factory builds, on each executor, a model of the same architecture (same parameter
     *                names and shapes; its initial weights do not matter, the driver's are loaded
     *                at every step)
     * @param collate turns a list of examples into one batch, on the executors
     */
    public static <E, B> SparkTrainer<E, B> of(JavaSparkContext spark, Trainable<B> model,
                                               SerializableSupplier<? extends Trainable<B>> factory,
                                               SerializableFunction<List<E>, B> collate) {
        return new SparkTrainer<>(spark, model, factory, collate, 2);
    }

    /**
     * The same trainer with another {@code treeAggregate} depth (default 2): deeper trees suit many
     * partitions and large models. The sum's bits do not depend on it.
     */
    public SparkTrainer<E, B> aggregationDepth(int depth) {
        return new SparkTrainer<>(spark, model, factory, collate, depth);
    }

    /**
     * Caches {@code examples} in executor memory in {@code partitions} partitions of consecutive
     * examples, in the RDD's order, and checks every example with the model (one job), so that bad
     * data fails before the first step. When the RDD already has {@code partitions} partitions they
     * are kept as they are; otherwise the examples are moved, which needs them serializable by
     * Spark's serializer (with Kryo, records need {@link KryoRecords}). The RDD's order must be
     * deterministic for runs to repeat, and for training to stay right on a cluster: the cache is
     * kept in memory only (examples need not be serializable to stay there), so a partition that
     * Spark evicts is recomputed from the source, which must then give the same examples in the
     * same order.
     *
     * @throws IllegalArgumentException when {@code partitions < 1}, the RDD is empty or an example
     *                                  fails the model's check (naming it)
     */
    public DistributedData<E> distribute(JavaRDD<E> examples, int partitions) {
        if (partitions < 1) {
            throw new IllegalArgumentException("SparkTrainer.distribute: partitions must be >= 1, given " + partitions);
        }
        JavaRDD<List<E>> blocks = null;
        List<int[]> perPartition;
        try {
            // Counting the source to move it runs a job too, so it fails the same way as the checks.
            JavaRDD<E> arranged = examples.getNumPartitions() == partitions ? examples : contiguous(examples, partitions);
            blocks = arranged.mapPartitions(it -> {
                List<E> block = new ArrayList<>();
                it.forEachRemaining(block::add);
                return List.of(block).iterator();
            }, true).persist(StorageLevel.MEMORY_ONLY());
            perPartition = lengths(blocks);
        } catch (Exception e) {
            if (blocks != null) {
                blocks.unpersist(false);
            }
            // Spark wraps the executor's exception; the caller gets the data error itself.
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof IllegalArgumentException bad) {
                    throw new IllegalArgumentException(bad.getMessage(), e);
                }
            }
            throw e;
        }
        int[] starts = new int[partitions + 1];
        long total = 0;
        for (int p = 0; p < partitions; p++) {
            starts[p] = (int) total;
            total += perPartition.get(p).length;
            if (total > Integer.MAX_VALUE - 8) {
                blocks.unpersist(false);
                throw new IllegalArgumentException("SparkTrainer.distribute: more than " + (Integer.MAX_VALUE - 8)
                        + " examples; group them into larger examples");
            }
        }
        starts[partitions] = (int) total;
        if (total == 0) {
            blocks.unpersist(false);
            throw new IllegalArgumentException("SparkTrainer.distribute: the RDD has no example");
        }
        int[] lengths = new int[(int) total];
        for (int p = 0; p < partitions; p++) {
            System.arraycopy(perPartition.get(p), 0, lengths, starts[p], perPartition.get(p).length);
        }
        return new DistributedData<>(blocks, starts, lengths);
    }

    /** Checks every example with the model, on the executors, and returns each partition's unrolled lengths. */
    private List<int[]> lengths(JavaRDD<List<E>> blocks) {
        String id = run;
        SerializableSupplier<? extends Trainable<B>> make = factory;
        SerializableFunction<List<E>, B> collateOne = collate;
        return blocks.mapPartitionsWithIndex((p, it) -> {
            List<E> block = it.next();
            Trainable<B> checker = ModelPool.borrow(id, make);
            try {
                int[] lengths = new int[block.size()];
                for (int i = 0; i < lengths.length; i++) {
                    B one;
                    try {
                        one = collateOne.apply(List.of(block.get(i)));
                        checker.check(one);
                    } catch (IllegalArgumentException e) {
                        throw new IllegalArgumentException("SparkTrainer.distribute: example " + i + " of partition " + p
                                + " is not valid for the model: " + e.getMessage(), e);
                    }
                    lengths[i] = checker.unrolledLength(one);
                }
                return List.of(lengths).iterator();
            } finally {
                ModelPool.release(id, checker);
            }
        }, true).collect();
    }

    /** The examples in {@code partitions} partitions of consecutive examples, in order, as {@code parallelize} slices a list. */
    private static <E> JavaRDD<E> contiguous(JavaRDD<E> examples, int partitions) {
        long size = examples.count();
        return examples.zipWithIndex()
                .mapToPair(Tuple2::swap)
                .repartitionAndSortWithinPartitions(new Contiguous(size, partitions))
                .values();
    }

    /** Sends id {@code i} of {@code n} to partition {@code p} with {@code floor(p n / P) <= i < floor((p + 1) n / P)}. */
    private static final class Contiguous extends Partitioner {
        private static final long serialVersionUID = 1L;
        private final long size;
        private final int partitions;

        Contiguous(long size, int partitions) {
            this.size = size;
            this.partitions = partitions;
        }

        @Override
        public int numPartitions() {
            return partitions;
        }

        @Override
        public int getPartition(Object key) {
            // The largest p with floor(p n / P) <= i.
            return (int) ((((long) key + 1) * partitions - 1) / size);
        }
    }

    /**
     * A trainer builder over {@code data}, configured as usual ({@link Trainer.Builder}); fit it on
     * {@link DistributedData#ids()}. The trainer updates the driver's model.
     */
    public Trainer.Builder<Integer, SparkBatch> trainer(DistributedData<E> data) {
        return Trainer.builder(new DataParallel(data), SparkBatch::of);
    }

    /** The model the trainer drives: each call is one Spark job over the data's partitions. */
    private final class DataParallel implements Trainable<SparkBatch> {

        private final DistributedData<E> data;
        private final List<Parameter> parameters = List.copyOf(model.parameters());
        private final String[] names = parameters.stream().map(Parameter::name).toArray(String[]::new);

        DataParallel(DistributedData<E> data) {
            this.data = Objects.requireNonNull(data, "data");
        }

        @Override
        public List<Parameter> parameters() {
            return parameters;
        }

        @Override
        public int unrolledLength(SparkBatch batch) {
            return data.unrolledLength(batch.ids());
        }

        @Override
        public void check(SparkBatch batch) {
            data.picks(batch.ids());
        }

        @Override
        public Result train(SparkBatch batch, UnrollingStrategy.Window window, Context context) {
            int length = unrolledLength(batch);
            if (window.gradientStart() != 0 || window.lossStart() != 0 || window.end() != length) {
                throw new IllegalStateException("SparkTrainer: the unrolling strategy cut a batch of " + length
                        + " steps into windows, given window " + window + "; data-parallel training computes each batch"
                        + " whole because executors keep no recurrent state between steps: use unrolling 'bptt'");
            }
            ShardTask.Step step = new ShardTask.Step(context.step(), context.epoch(), context.seed(),
                    shippable(context.decoderInputs(), context.step(), context.epoch()), length);
            ShardSum.Total total = run(batch, step);
            if (total.gradient() != null) {
                double count = total.result().count();
                int k = 0;
                for (Parameter p : parameters) {
                    float[] grad = p.grad().data();
                    for (int i = 0; i < grad.length; i++) {
                        grad[i] += (float) (total.gradient()[k++] / count);
                    }
                }
            }
            return total.result();
        }

        @Override
        public Result evaluate(SparkBatch batch) {
            return run(batch, null).result();
        }

        private ShardSum.Total run(SparkBatch batch, ShardTask.Step step) {
            int[][] picks = data.picks(batch.ids());
            float[][] weights = new float[parameters.size()][];
            for (int i = 0; i < weights.length; i++) {
                weights[i] = parameters.get(i).value().data().clone();
            }
            Broadcast<float[][]> shipped = spark.broadcast(weights);
            try {
                ShardTask<E, B> task = new ShardTask<>(run, factory, collate, names, shipped, picks, step);
                return data.blocks().mapPartitionsWithIndex(task, true)
                        .treeAggregate(new ShardSum(), ShardSum::add, ShardSum::add, depth)
                        .total(data.partitions());
            } finally {
                shipped.destroy();
            }
        }
    }

    /**
     * The decoder input policy in a form the executors can receive: the policy itself when it is
     * serializable, else its ground-truth probability at this step, which is all the default draw
     * uses. A policy that draws its own way must be serializable.
     *
     * @throws IllegalArgumentException when the policy overrides the draw and is not serializable
     */
    static DecoderInputPolicy shippable(DecoderInputPolicy policy, long step, int epoch) {
        if (policy instanceof Serializable) {
            return policy;
        }
        if (drawsItsOwnWay(policy)) {
            throw new IllegalArgumentException("SparkTrainer: decoder input policy " + policy.getClass().getName()
                    + " overrides useGroundTruth and is not Serializable; the executors need it: make it Serializable");
        }
        double p = policy.groundTruthProbability(step, epoch);
        return (DecoderInputPolicy & Serializable) (s, e) -> p;
    }

    private static boolean drawsItsOwnWay(DecoderInputPolicy policy) {
        try {
            return policy.getClass().getMethod("useGroundTruth", long.class, long.class, int.class, int.class, int.class)
                    .getDeclaringClass() != DecoderInputPolicy.class;
        } catch (NoSuchMethodException e) {
            throw new AssertionError("DecoderInputPolicy declares useGroundTruth", e);
        }
    }
}
