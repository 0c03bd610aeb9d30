package org.rnn4j.tests.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.ConcurrentModificationException;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.rnn4j.core.Parameter;
import org.rnn4j.core.Tensor;
import org.rnn4j.core.autograd.Tape;
import org.rnn4j.core.autograd.Var;
import org.rnn4j.models.SequenceModel;
import org.rnn4j.nn.Recurrent;
import org.rnn4j.nn.RecurrentStream;
import org.rnn4j.spi.Registries;
import org.rnn4j.spi.cell.CellParameters;
import org.rnn4j.spi.cell.RecurrentCell;
import org.rnn4j.spi.cell.SequenceKernel;
import org.rnn4j.spi.cell.StepKernel;
import org.rnn4j.training.Trainer;
import org.rnn4j.training.data.SequenceBatch;

/**
 * One trained model serving inference from many threads at once gives exactly the single-threaded
 * results; the objects that belong to one thread (a stream, a trainer, a model while training)
 * refuse a second thread loudly instead of mixing state.
 */
class ConcurrencyTest {

    private static final int THREADS = 8;

    @Test
    void oneTrainedModelServesEightThreadsWithResultsIdenticalToOneThread() throws Exception {
        int calls = Integer.getInteger("rnn4j.concurrency.calls", 10_000);
        SequenceModel model = CheckpointingRun.model(16);
        CheckpointingRun.trainer(model, 3, null, 0).fit(CheckpointingRun.data());
        SplittableRandom rng = new SplittableRandom(3);
        List<SequenceBatch> inputs = new ArrayList<>();
        List<Tensor> expected = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            int[][] tokens = new int[2][8];
            for (int[] row : tokens) {
                for (int t = 0; t < row.length; t++) {
                    row[t] = rng.nextInt(5);
                }
            }
            SequenceBatch batch = new SequenceBatch(null, tokens, new int[] {8, 1 + rng.nextInt(8)}, null, null);
            inputs.add(batch);
            expected.add(model.predict(batch));
        }
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Integer>> mismatches = new ArrayList<>();
        for (int w = 0; w < THREADS; w++) {
            int worker = w;
            mismatches.add(pool.submit(() -> {
                start.await();
                int wrong = 0;
                for (int k = 0; k < calls; k++) {
                    int i = (k * 7 + worker) % inputs.size();
                    if (!model.predict(inputs.get(i)).equals(expected.get(i))) {
                        wrong++;
                    }
                }
                return wrong;
            }));
        }
        long begin = System.nanoTime();
        start.countDown();
        int wrong = 0;
        for (Future<Integer> f : mismatches) {
            wrong += f.get(5, TimeUnit.MINUTES);
        }
        double seconds = (System.nanoTime() - begin) / 1e9;
        pool.shutdown();
        System.out.printf("ConcurrencyTest: %d threads x %d predict calls in %.1f s, %d results differ from one thread's%n",
                THREADS, calls, seconds, wrong);
        assertEquals(0, wrong, "results that differ from the single-threaded ones");
    }

    @Test
    void aStreamUsedFromTwoThreadsAtOnceFailsLoudly() throws Exception {
        BlockingCell.Gate gate = new BlockingCell.Gate();
        Recurrent layer = Recurrent.builder("blocking-rnn", spec -> new BlockingCell(
                Registries.cells().get("rnn").create(spec), gate)).inputSize(2).hiddenSize(3).build();
        RecurrentStream stream = layer.stream(1);
        Tensor x = Tensor.full(0.5f, 1, 2);
        Thread owner = Thread.ofPlatform().name("stream-owner").start(() -> stream.step(x));
        gate.awaitEntered();
        var e = assertThrows(ConcurrentModificationException.class, () -> stream.step(x));
        assertTrue(e.getMessage().contains("'stream-owner' was using it"), e.getMessage());
        assertThrows(ConcurrentModificationException.class, stream::reset);
        gate.release();
        owner.join();
        assertEquals(1, stream.step(x).dim(0), "the stream works again once the other thread has left it");
    }

    @Test
    void aTrainerOrAModelBeingTrainedRefusesASecondThread() throws Exception {
        BlockingCell.Gate gate = new BlockingCell.Gate();
        Recurrent layer = Recurrent.builder("blocking-gru", spec -> new BlockingCell(
                Registries.cells().get("gru").create(spec), gate)).inputSize(4).hiddenSize(3).build();
        SequenceModel model = SequenceModel.builder(layer).vocabulary(5, 0).outputs(5)
                .output(SequenceModel.Output.SEQUENCE).objective(SequenceModel.Objective.CLASSIFICATION).build();
        Trainer<int[], SequenceBatch> trainer = CheckpointingRun.trainer(model, 1, null, 0);
        List<int[]> data = CheckpointingRun.data();
        AtomicBoolean finished = new AtomicBoolean();
        Thread first = Thread.ofPlatform().name("first-trainer").start(() -> {
            try {
                trainer.fit(data);
                finished.set(true);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        gate.awaitEntered();
        var busyTrainer = assertThrows(IllegalStateException.class, () -> trainer.fit(data));
        assertTrue(busyTrainer.getMessage().contains("'first-trainer' is running"), busyTrainer.getMessage());
        assertThrows(IllegalStateException.class, () -> trainer.evaluate(data));
        var busyModel = assertThrows(IllegalStateException.class,
                () -> CheckpointingRun.trainer(model, 1, null, 0).fit(data));
        assertTrue(busyModel.getMessage().contains("'first-trainer' was training this model"), busyModel.getMessage());
        gate.release();
        first.join();
        assertTrue(finished.get(), "the first run completes undisturbed");
    }

    /** A cell that delegates to a built-in one, and whose first kernel call waits at a gate. */
    static final class BlockingCell implements RecurrentCell {

        /** Lets a test hold the first thread inside a kernel call. */
        static final class Gate {
            private final CountDownLatch entered = new CountDownLatch(1);
            private final CountDownLatch released = new CountDownLatch(1);
            private final AtomicBoolean armed = new AtomicBoolean(true);

            void pass() {
                if (armed.getAndSet(false)) {
                    entered.countDown();
                    try {
                        released.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            }

            void awaitEntered() throws InterruptedException {
                assertTrue(entered.await(1, TimeUnit.MINUTES), "a thread entered the kernel");
            }

            void release() {
                released.countDown();
            }
        }

        private final RecurrentCell cell;
        private final Gate gate;

        BlockingCell(RecurrentCell cell, Gate gate) {
            this.cell = cell;
            this.gate = gate;
        }

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
        public Var[] step(Tape tape, CellParameters params, Var x, Var[] state) {
            return cell.step(tape, params, x, state);
        }

        @Override
        public SequenceKernel sequenceKernel() {
            SequenceKernel kernel = cell.sequenceKernel();
            return (input, lengths, reverse, initial, output, fin, training) -> {
                gate.pass();
                return kernel.forward(input, lengths, reverse, initial, output, fin, training);
            };
        }

        @Override
        public StepKernel stepKernel(int batch) {
            StepKernel kernel = cell.stepKernel(batch);
            return (x, state) -> {
                gate.pass();
                kernel.step(x, state);
            };
        }
    }
}
