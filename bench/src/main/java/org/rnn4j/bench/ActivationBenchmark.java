package org.rnn4j.bench;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.rnn4j.core.kernel.Kernels;

/**
 * Activations over {@code n} floats: the Vector API kernels ({@code <fn>Vector}) against plain
 * scalar loops over {@link Math} ({@code <fn>Scalar}); a report pairs the two by these names.
 * Inputs are uniform in [-10, 10] from a fixed seed. Divide the time per call by {@code n} for
 * nanoseconds per element.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--add-modules=jdk.incubator.vector")
public class ActivationBenchmark {

    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;

    /** Number of floats per call: a cell's hidden size, where per-call overhead and inlining show, and a large array. */
    @Param({"128", "1048576"})
    public int n;

    private float[] x;
    private float[] out;
    private Kernels vector;

    /** Fills the input and picks the Vector API kernels (fails if they are not usable). */
    @Setup
    public void setUp() {
        SplittableRandom random = new SplittableRandom(20240611L);
        x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) random.nextDouble(-10.0, 10.0);
        }
        out = new float[n];
        vector = Kernels.vector(1);
    }

    /** {@code Kernels.vector(1).tanh}. */
    @Benchmark
    public float[] tanhVector() {
        vector.tanh(n, x, 0, out, 0);
        return out;
    }

    /** A plain loop of {@code (float) Math.tanh}. */
    @Benchmark
    public float[] tanhScalar() {
        for (int i = 0; i < n; i++) {
            out[i] = (float) Math.tanh(x[i]);
        }
        return out;
    }

    /** For information: the Vector API's own {@code lanewise(TANH)}. */
    @Benchmark
    public float[] tanhLanewise() {
        int i = 0;
        for (int bound = SPECIES.loopBound(n); i < bound; i += SPECIES.length()) {
            FloatVector.fromArray(SPECIES, x, i).lanewise(VectorOperators.TANH).intoArray(out, i);
        }
        for (; i < n; i++) {
            out[i] = (float) Math.tanh(x[i]);
        }
        return out;
    }

    /** {@code Kernels.vector(1).sigmoid}. */
    @Benchmark
    public float[] sigmoidVector() {
        vector.sigmoid(n, x, 0, out, 0);
        return out;
    }

    /** A plain loop of {@code 1 / (1 + Math.exp(-x))}. */
    @Benchmark
    public float[] sigmoidScalar() {
        for (int i = 0; i < n; i++) {
            out[i] = (float) (1.0 / (1.0 + Math.exp(-x[i])));
        }
        return out;
    }

    /** {@code Kernels.vector(1).exp}. */
    @Benchmark
    public float[] expVector() {
        vector.exp(n, x, 0, out, 0);
        return out;
    }

    /** A plain loop of {@code (float) Math.exp}. */
    @Benchmark
    public float[] expScalar() {
        for (int i = 0; i < n; i++) {
            out[i] = (float) Math.exp(x[i]);
        }
        return out;
    }
}
