package org.rnn4j.bench;

import java.util.List;
import java.util.concurrent.TimeUnit;
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
import org.rnn4j.core.Parameter;
import org.rnn4j.core.Tensor;
import org.rnn4j.core.autograd.Tape;
import org.rnn4j.core.autograd.Var;
import org.rnn4j.spi.Registries;
import org.rnn4j.spi.cell.AutogradSequenceKernel;
import org.rnn4j.spi.cell.CellParameters;
import org.rnn4j.spi.cell.CellProvider;
import org.rnn4j.spi.cell.RecurrentCell;
import org.rnn4j.spi.cell.SequenceKernel;

/**
 * What a plugin author's cell costs: the built-in LSTM's training step through its hand-fused
 * kernel ({@code fused}) against the same cell run through its tape-written step with automatic
 * gradients ({@code tape}), the path a third-party cell without a hand-written kernel takes.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--add-modules=jdk.incubator.vector")
@State(Scope.Benchmark)
public class AutogradBenchmark {

    /** {@code fused} or {@code tape}. */
    @Param({"fused", "tape"})
    public String kernel;

    /** B x T x I x H. */
    @Param({"32x50x64x128"})
    public String shape;

    private RecurrentWorkload work;

    /** A cell that forwards everything to the built-in one but runs its step on the tape. */
    private record TapeOnly(RecurrentCell cell) implements RecurrentCell {
        @Override
        public int inputSize() {
            return cell.inputSize();
        }

        @Override
        public int hiddenSize() {
            return cell.hiddenSize();
        }

        @Override
        public List<String> stateNames() {
            return cell.stateNames();
        }

        @Override
        public List<Parameter> parameters() {
            return cell.parameters();
        }

        @Override
        public Var[] step(Tape tape, CellParameters params, Var xt, Var[] state) {
            return cell.step(tape, params, xt, state);
        }

        @Override
        public SequenceKernel sequenceKernel() {
            return new AutogradSequenceKernel(this);
        }
    }

    /** Builds the layer and seeded inputs. */
    @Setup
    public void setUp() {
        CellProvider lstm = Registries.cells().get("lstm");
        CellProvider provider = kernel.equals("tape") ? spec -> new TapeOnly(lstm.create(spec)) : lstm;
        work = RecurrentWorkload.of(shape, "lstm-" + kernel, provider);
    }

    /** Forward and backward, input gradient included. */
    @Benchmark
    public Tensor training() {
        return work.trainingStep();
    }
}
