package org.rnn4j.spark;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.rnn4j.core.Parameter;
import org.rnn4j.spi.training.Trainable;

/**
 * The models an executor JVM keeps between steps, per training run, so that a task does not build
 * (and initialize) a model from the factory at every step. A task borrows an idle instance or
 * builds one, loads the step's weights into it, and gives it back; tasks running at once in one
 * executor get separate instances, since a model is not thread-safe while training. Only the most
 * recently used runs are kept.
 */
final class ModelPool {

    private static final int RUNS = 4;

    private static final Map<String, ArrayDeque<Trainable<?>>> IDLE = new LinkedHashMap<>(8, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, ArrayDeque<Trainable<?>>> eldest) {
            return size() > RUNS;
        }
    };

    private ModelPool() {
    }

    /** An instance of run {@code run}'s model, idle or new from {@code factory}. */
    @SuppressWarnings("unchecked")
    static <B> Trainable<B> borrow(String run, Supplier<? extends Trainable<B>> factory) {
        Trainable<?> idle;
        synchronized (IDLE) {
            idle = IDLE.computeIfAbsent(run, r -> new ArrayDeque<>()).poll();
        }
        return idle != null ? (Trainable<B>) idle : factory.get();
    }

    /** Gives an instance back for the next task of the same run. */
    static void release(String run, Trainable<?> model) {
        synchronized (IDLE) {
            IDLE.computeIfAbsent(run, r -> new ArrayDeque<>()).push(model);
        }
    }

    /**
     * Copies the driver's weights into {@code model}.
     *
     * @throws IllegalStateException when the factory's model has other parameters than the driver's
     */
    static void load(Trainable<?> model, String[] names, float[][] weights) {
        List<Parameter> parameters = model.parameters();
        boolean same = parameters.size() == names.length;
        for (int i = 0; same && i < names.length; i++) {
            same = parameters.get(i).name().equals(names[i]) && parameters.get(i).value().size() == weights[i].length;
        }
        if (!same) {
            throw new IllegalStateException("SparkTrainer: the factory builds a model with parameters "
                    + parameters.stream().map(p -> p.name() + Arrays.toString(p.shape())).toList()
                    + ", the driver's model has " + names.length + " parameters " + driver(names, weights)
                    + "; the factory must build the driver's architecture");
        }
        for (int i = 0; i < names.length; i++) {
            System.arraycopy(weights[i], 0, parameters.get(i).value().data(), 0, weights[i].length);
        }
    }

    /** The driver's parameters as {@code name (n values)}: the executors see their sizes, not their shapes. */
    private static List<String> driver(String[] names, float[][] weights) {
        List<String> described = new java.util.ArrayList<>(names.length);
        for (int i = 0; i < names.length; i++) {
            described.add(names[i] + " (" + weights[i].length + " values)");
        }
        return described;
    }
}
