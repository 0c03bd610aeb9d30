package org.rnn4j.tests.reliability;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.lifecycle.AfterContainer;
import org.rnn4j.core.io.ModelFileException;
import org.rnn4j.core.io.SafeTensors;
import org.rnn4j.models.SequenceModel;
import org.rnn4j.nn.Merge;
import org.rnn4j.nn.Recurrent;
import org.rnn4j.spi.Options;
import org.rnn4j.training.Checkpoints;

/**
 * Fuzzes the model-file loaders ({@link SafeTensors#parse}, {@link Recurrent#load},
 * {@link SequenceModel#load}, and checkpoints through {@code Trainer.resume}) with files mutated
 * from real ones (see {@link FileMutations}). Every file must either load or end in the loader's
 * documented {@link ModelFileException}: no other exception, no hang (each case has
 * {@value #TIMEOUT_SECONDS} s), and, for parsing and model building, no allocation beyond a small
 * multiple of the file's size (measured per thread).
 *
 * <p>The tries per property come from {@code @Property} (a bounded campaign in the normal run) or
 * from {@code -Drnn4j.fuzz.tries=N} for a long one:
 * {@code ./rnn4j mvn -o test -pl tests -am -Dtest=ModelFileFuzzTest -Dsurefire.failIfNoSpecifiedTests=false -Drnn4j.fuzz.tries=100000}.
 * Crashers found are kept below as regression examples.
 */
class ModelFileFuzzTest {

    static final int TIMEOUT_SECONDS = 20;
    /** Allocation allowed per case: this many times the file's bytes, plus {@link #ALLOCATION_SLACK}. */
    static final int ALLOCATION_FACTOR = 16;
    static final long ALLOCATION_SLACK = 8L << 20;

    enum Kind { LAYER, MODEL, CHECKPOINT }

    record Seed(String name, Kind kind, byte[] bytes) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static final List<Seed> SEEDS = realFiles();
    /** Runs the loads; replaced when one hangs, so the hung thread (a daemon) cannot block the next case. */
    private static ExecutorService worker = newWorker();
    private static final Path FILE = tempFile();

    private static final AtomicLong CASES = new AtomicLong();
    private static final AtomicLong LOADED = new AtomicLong();
    private static final AtomicLong REJECTED = new AtomicLong();
    private static final AtomicLong MAX_ALLOCATED = new AtomicLong();

    @Provide
    Arbitrary<Seed> seeds() {
        return Arbitraries.of(SEEDS);
    }

    @Provide
    Arbitrary<FileMutations.Mutation> mutations() {
        return FileMutations.any();
    }

    @Property(tries = 3000)
    @AddLifecycleHook(FuzzTries.class)
    void aMutatedFileLoadsOrFailsWithModelFileException(@ForAll("seeds") Seed seed,
                                                        @ForAll("mutations") FileMutations.Mutation mutation) {
        attack(seed.kind(), mutation.apply(seed.bytes()));
    }

    @Example
    void everySeedLoadsUnchanged() {
        for (Seed seed : SEEDS) {
            assertTrue(attack(seed.kind(), seed.bytes()), seed.name() + " should load");
        }
    }

    // ---- crashers found by this fuzzer (and by reading the code), kept as regressions ----

    @Example
    void aHugeLayerCountFailsBeforeAllocatingTheLayers() {
        // Was an OutOfMemoryError ("Requested array size exceeds VM limit") in Recurrent's constructor.
        rejected("feature-model", new FileMutations.Metadata("recurrent.layers", "2147483647"), "limit");
    }

    @Example
    void aHiddenSizeTheWeightsDoNotHaveFailsFastInsteadOfInitializingForMinutes() {
        // Were hangs: orthogonal initialization of a 15001 x 15001 (and 5882 x 5882) recurrent matrix.
        rejected("feature-model", new FileMutations.Metadata("recurrent.hidden_size", "15001"), "limit");
        rejected("rnn-relu", new FileMutations.Metadata("hidden_size", "5882"), "limit");
    }

    @Example
    void aCheckpointWithANegativeBatchIsRejected() {
        // Was an IndexOutOfBoundsException when training resumed at batch -49119.
        rejected("checkpoint", new FileMutations.Metadata("trainer/batch", "-49119"), "'batch' is -49119");
    }

    @Example
    void aCheckpointWithAFractionalSeedOrStepIsRejected() {
        // Was an ArithmeticException from BigDecimal.longValueExact (the seed was read outside the guarded block).
        rejected("checkpoint", new FileMutations.Metadata("trainer/seed", "1.5"), "'seed' is 1.5");
        rejected("checkpoint", new FileMutations.Metadata("trainer/step", "1e30"), "'step' is 1E+30");
    }

    @Example
    void optimizerStateOfTheRightSizeButTheWrongShapeIsRejected() {
        // Was accepted, then failed later inside training with an IllegalArgumentException from the optimizer.
        int index = FileMutations.tensorNames(FileMutations.header(seed("checkpoint").bytes()))
                .indexOf("optimizer.exp_avg.head.weight");
        rejected("checkpoint", new FileMutations.EntryField(index, "shape", "[15]"), "parameter 'head.weight' is [5, 3]");
    }

    @Example
    void optimizerStateOfAParameterTheTrainerLacksIsRejected() {
        // Was loaded, kept and saved again with every later checkpoint.
        int index = FileMutations.tensorNames(FileMutations.header(seed("checkpoint").bytes()))
                .indexOf("optimizer.exp_avg.head.weight");
        rejected("checkpoint", new FileMutations.Rename(index, "optimizer.exp_avg.head.weight_old"),
                "optimizer state [exp_avg.head.weight_old] belongs to no parameter of this trainer");
    }

    private static void rejected(String seedName, FileMutations.Mutation mutation, String messagePart) {
        Seed seed = seed(seedName);
        byte[] bytes = mutation.apply(seed.bytes());
        assertFalse(attack(seed.kind(), bytes), seedName + " with " + mutation + " should be rejected");
        Path file = FILE.resolveSibling("regression.safetensors");
        try {
            Files.write(file, bytes);
            ModelFileException e = assertThrows(ModelFileException.class, () -> {
                switch (seed.kind()) {
                    case LAYER -> Recurrent.load(file);
                    case MODEL -> SequenceModel.load(file);
                    case CHECKPOINT -> CheckpointingRun.trainer(CheckpointingRun.model(3), 2, null, 0)
                            .resume(file, CheckpointingRun.data());
                }
            });
            assertTrue(e.getMessage().contains(messagePart), e.getMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Seed seed(String name) {
        return SEEDS.stream().filter(s -> s.name().startsWith(name)).findFirst().orElseThrow();
    }

    @AfterContainer
    static void report() {
        System.out.printf("ModelFileFuzzTest: %d mutated files, %d loaded, %d rejected with ModelFileException;"
                        + " most allocated by one parse and build: %d bytes%n", CASES.get(), LOADED.get(), REJECTED.get(),
                MAX_ALLOCATED.get());
    }

    /**
     * Parses {@code bytes}, then loads them with the loader of {@code kind}, on the worker thread.
     *
     * @return whether the loader accepted the file
     */
    static boolean attack(Kind kind, byte[] bytes) {
        CASES.incrementAndGet();
        Future<Boolean> result = worker.submit(() -> load(kind, bytes));
        try {
            boolean loaded = result.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            (loaded ? LOADED : REJECTED).incrementAndGet();
            return loaded;
        } catch (TimeoutException e) {
            result.cancel(true);
            worker.shutdownNow();
            worker = newWorker();
            return fail("a " + kind + " load did not finish in " + TIMEOUT_SECONDS + " s; file: " + encode(bytes));
        } catch (ExecutionException e) {
            return fail("a " + kind + " load ended in " + e.getCause() + "; file: " + encode(bytes), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return fail("interrupted");
        }
    }

    private static boolean load(Kind kind, byte[] bytes) throws IOException {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        boolean parsed;
        try {
            SafeTensors.parse(null, bytes);
            parsed = true;
        } catch (ModelFileException e) {
            parsed = false;
        }
        Files.write(FILE, bytes);
        boolean loaded;
        try {
            if (kind == Kind.CHECKPOINT) {
                checkAllocation(threads.getCurrentThreadAllocatedBytes() - before, bytes);
                // Resuming trains on to the end of the run: a few steps of a small model, not measured.
                CheckpointingRun.trainer(CheckpointingRun.model(3), 2, null, 0).resume(FILE, CheckpointingRun.data());
            } else {
                if (kind == Kind.LAYER) {
                    Recurrent.load(FILE);
                } else {
                    SequenceModel.load(FILE);
                }
                checkAllocation(threads.getCurrentThreadAllocatedBytes() - before, bytes);
            }
            loaded = true;
        } catch (ModelFileException e) {
            assertTrue(e.getMessage() != null && !e.getMessage().isBlank(), "a message");
            loaded = false;
        }
        assertTrue(parsed || !loaded, "the loader accepted a file the parser rejects");
        return loaded;
    }

    private static void checkAllocation(long allocated, byte[] bytes) {
        MAX_ALLOCATED.accumulateAndGet(allocated, Math::max);
        long allowed = ALLOCATION_FACTOR * (long) bytes.length + ALLOCATION_SLACK;
        if (allocated > allowed) {
            fail("parsing and building from a file of " + bytes.length + " bytes allocated " + allocated
                    + " bytes, more than " + allowed + "; file: " + encode(bytes));
        }
    }

    private static ExecutorService newWorker() {
        return Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "fuzz-loader");
            t.setDaemon(true);
            return t;
        });
    }

    private static String encode(byte[] bytes) {
        return bytes.length > 8192 ? bytes.length + " bytes (too long to print)" : Base64.getEncoder().encodeToString(bytes);
    }

    private static Path tempFile() {
        try {
            Path dir = Files.createTempDirectory("rnn4j-fuzz");
            dir.toFile().deleteOnExit();
            Path file = dir.resolve("fuzzed.safetensors");
            file.toFile().deleteOnExit();
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Real files of every kind the loaders read, small enough to mutate quickly. */
    private static List<Seed> realFiles() {
        try {
            Path dir = Files.createTempDirectory("rnn4j-fuzz-seeds");
            List<Seed> seeds = new ArrayList<>();
            Recurrent lstm = Recurrent.builder("lstm").inputSize(2).hiddenSize(3).layers(2).bidirectional(true).seed(3).build();
            seeds.add(seed(dir, "lstm-2-layers-bidirectional", Kind.LAYER, lstm::save));
            Recurrent gru = Recurrent.builder("gru").inputSize(3).hiddenSize(2).merge(Merge.SUM).seed(4).build();
            seeds.add(seed(dir, "gru", Kind.LAYER, gru::save));
            Recurrent rnn = Recurrent.builder("rnn").inputSize(2).hiddenSize(2).options(Options.of("nonlinearity", "relu"))
                    .seed(5).build();
            seeds.add(seed(dir, "rnn-relu", Kind.LAYER, rnn::save));
            Recurrent mgu = Recurrent.builder("mgu").inputSize(2).hiddenSize(2).seed(6).build();
            seeds.add(seed(dir, "mgu-plugin", Kind.LAYER, mgu::save));
            seeds.add(seed(dir, "token-model", Kind.MODEL, CheckpointingRun.model(3)::save));
            SequenceModel features = SequenceModel.builder(Recurrent.builder("lstm").inputSize(2).hiddenSize(3).seed(7)
                    .build()).outputs(2).build();
            seeds.add(seed(dir, "feature-model", Kind.MODEL, features::save));
            Path checkpoints = dir.resolve("checkpoints");
            CheckpointingRun.trainer(CheckpointingRun.model(3), 2, checkpoints, 2).fit(CheckpointingRun.data());
            Path middle = Checkpoints.list(checkpoints).get(1);
            seeds.add(new Seed("checkpoint " + middle.getFileName(), Kind.CHECKPOINT, Files.readAllBytes(middle)));
            return List.copyOf(seeds);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @FunctionalInterface
    private interface Saver {
        void save(Path file) throws IOException;
    }

    private static Seed seed(Path dir, String name, Kind kind, Saver saver) throws IOException {
        Path file = dir.resolve(name + ".safetensors");
        saver.save(file);
        return new Seed(name, kind, Files.readAllBytes(file));
    }
}
