package org.rnn4j.spark;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.broadcast.Broadcast;
import org.rnn4j.core.NonFiniteValueException;
import org.rnn4j.core.Parameter;
import org.rnn4j.spi.training.DecoderInputPolicy;
import org.rnn4j.spi.training.Trainable;
import org.rnn4j.spi.training.UnrollingStrategy;

/**
 * What each partition does for one step (or one validation batch), on an executor: collates its
 * shard of the batch with the ordinary collate function, runs the model's own {@code train} (or
 * {@code evaluate}) on it with the driver's weights, and returns its mean gradient and its result
 * as a {@link ShardSum} leaf.
 *
 * @param <E> the example type
 * @param <B> the model's batch type
 */
final class ShardTask<E, B> implements Function2<Integer, Iterator<List<E>>, Iterator<ShardSum>> {

    private static final long serialVersionUID = 1L;
    /** Mixes the partition into the seed, so that shards draw different dropout masks; partition 0 keeps the seed. */
    private static final long PARTITION_MIX = 0x9E3779B97F4A7C15L;

    private final String run;
    private final SerializableSupplier<? extends Trainable<B>> factory;
    private final SerializableFunction<List<E>, B> collate;
    private final String[] names;
    private final Broadcast<float[][]> weights;
    private final int[][] picks;
    private final Step step;

    /**
     * @param picks per partition, the positions of its examples in the batch, in batch order
     * @param step  the step to train, or null to evaluate
     */
    ShardTask(String run, SerializableSupplier<? extends Trainable<B>> factory, SerializableFunction<List<E>, B> collate,
              String[] names, Broadcast<float[][]> weights, int[][] picks, Step step) {
        this.run = run;
        this.factory = factory;
        this.collate = collate;
        this.names = names;
        this.weights = weights;
        this.picks = picks;
        this.step = step;
    }

    /**
     * Where training stands, as the trainer's context, shipped to the executors.
     *
     * @param length        the batch's unrolled length on the driver: the longest of its examples
     * @param decoderInputs a serializable policy
     */
    record Step(long step, int epoch, long seed, DecoderInputPolicy decoderInputs, int length)
            implements java.io.Serializable {
    }

    @Override
    public Iterator<ShardSum> call(Integer partition, Iterator<List<E>> block) {
        int[] mine = picks[partition];
        if (mine.length == 0) {
            return List.of(ShardSum.leaf(partition, null, Trainable.Result.of(0, 0))).iterator();
        }
        List<E> examples = block.next();
        List<E> shard = new ArrayList<>(mine.length);
        for (int i : mine) {
            shard.add(examples.get(i));
        }
        Trainable<B> model = ModelPool.borrow(run, factory);
        try {
            ModelPool.load(model, names, weights.value());
            B batch = collate.apply(shard);
            if (step == null) {
                return List.of(ShardSum.leaf(partition, null, model.evaluate(batch))).iterator();
            }
            return List.of(train(partition, model, batch)).iterator();
        } finally {
            ModelPool.release(run, model);
        }
    }

    private ShardSum train(int partition, Trainable<B> model, B batch) {
        int length = model.unrolledLength(batch);
        if (length > step.length()) {
            throw new IllegalStateException("SparkTrainer: partition " + partition + " collated a shard of " + length
                    + " steps, longer than the batch's longest example (" + step.length() + " steps); the batch's"
                    + " unrolled length must be that of its longest example");
        }
        List<Parameter> parameters = model.parameters();
        parameters.forEach(Parameter::zeroGrad);
        Trainable.Context context = new Trainable.Context(step.step(), step.epoch(),
                step.seed() ^ partition * PARTITION_MIX, step.decoderInputs());
        // The whole shard in one window, as the local trainer runs a batch under full BPTT.
        Trainable.Result result;
        try {
            result = model.train(batch, new UnrollingStrategy.Window(0, 0, length), context);
        } catch (NonFiniteValueException e) {
            // As the local trainer does: a NaN loss, which the driver's trainer stops on or skips
            // (a thrown exception would fail the job, and Spark would retry the task first).
            return ShardSum.leaf(partition, null, Trainable.Result.of(Double.NaN, 1));
        }
        if (result.count() == 0) {
            return ShardSum.leaf(partition, null, result);
        }
        int size = 0;
        for (Parameter p : parameters) {
            size += p.grad().size();
        }
        float[] gradient = new float[size];
        int k = 0;
        for (Parameter p : parameters) {
            System.arraycopy(p.grad().data(), 0, gradient, k, p.grad().size());
            k += p.grad().size();
        }
        return ShardSum.leaf(partition, gradient, result);
    }
}
