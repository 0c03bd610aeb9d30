package org.rnn4j.cells;

import java.lang.ref.SoftReference;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.rnn4j.core.Memory;
import org.rnn4j.core.Parameter;
import org.rnn4j.core.Tensor;
import org.rnn4j.core.kernel.Kernels;
import org.rnn4j.spi.Options;
import org.rnn4j.spi.cell.CellSpec;
import org.rnn4j.spi.cell.Init;
import org.rnn4j.spi.cell.RecurrentCell;
import org.rnn4j.spi.cell.SequenceArguments;
import org.rnn4j.spi.cell.SequenceKernel;
import org.rnn4j.spi.cell.StepKernel;
import org.rnn4j.spi.cell.AutogradSequenceKernel;

/**
 * The shared body of the built-in cells, which all have PyTorch's four parameters
 * ({@code weight_ih [G*H, I]}, {@code weight_hh [G*H, H]}, {@code bias_ih}, {@code bias_hh}) and a
 * hand-fused sequence kernel: the input projections are GEMMs (of every step at once, or step by
 * step where that keeps them in cache: see {@code Run.project}), each step does one recurrent GEMM
 * and one pass over the gates, and weight gradients are GEMMs over all steps.
 *
 * <p>Sequence-sized work buffers are batch-major ({@code [B, T, ...]}), as the input and output
 * are: the input's projection reads it in place, its gradient comes out of one product written
 * straight into {@code dInput}, and each part of a split recurrence owns one contiguous block of
 * rows for the whole sequence rather than a block of each step's rows. The weight gradients then
 * sum over the rows sequence by sequence, an order set by the shape alone.
 */
abstract class GatedCell implements RecurrentCell, SequenceKernel {

    /** Option: how parameters start ({@code default}: Glorot input weights, orthogonal recurrent weights, zero biases). */
    static final String INIT = "init";

    final int in;
    final int hidden;
    final int gates;
    final Parameter weightIh;
    final Parameter weightHh;
    final Parameter biasIh;
    final Parameter biasHh;
    final Kernels k = Kernels.get();
    /** The work buffers of the last finished training run, for the next one (see {@link Run#buffer}). */
    private final AtomicReference<SoftReference<float[][]>> idleBuffers = new AtomicReference<>();
    /** {@code weight_ih^T} as the last inference packed it (see {@link #packedForInference}). */
    private final AtomicReference<SoftReference<PackedWeight>> inputPacked = new AtomicReference<>();
    /** {@code weight_hh^T} as the last inference packed it. */
    private final AtomicReference<SoftReference<PackedWeight>> recurrentPacked = new AtomicReference<>();

    GatedCell(CellSpec spec, int gates) {
        this.in = spec.inputSize();
        this.hidden = spec.hiddenSize();
        this.gates = gates;
        this.weightIh = Parameter.zeros("weight_ih", gates * hidden, in);
        this.weightHh = Parameter.zeros("weight_hh", gates * hidden, hidden);
        this.biasIh = Parameter.zeros("bias_ih", gates * hidden);
        this.biasHh = Parameter.zeros("bias_hh", gates * hidden);
    }

    /** Initializes the parameters as option {@code init} says; {@code default} may be refined by subclasses. */
    void initialize(Options options, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        String init = options.choice(INIT, "default", java.util.Set.of("default", "pytorch", "irnn"));
        switch (init) {
            case "pytorch" -> {
                double limit = 1.0 / Math.sqrt(hidden);
                for (Parameter p : parameters()) {
                    Init.uniform(p.value(), limit, rng);
                }
            }
            case "irnn" -> {
                Init.glorotUniform(weightIh.value(), gates, rng);
                Init.identity(weightHh.value(), gates, 1f);
            }
            default -> {
                Init.glorotUniform(weightIh.value(), gates, rng);
                Init.orthogonal(weightHh.value(), gates, rng);
            }
        }
    }

    @Override
    public int inputSize() {
        return in;
    }

    @Override
    public int hiddenSize() {
        return hidden;
    }

    @Override
    public List<Parameter> parameters() {
        return List.of(weightIh, weightHh, biasIh, biasHh);
    }

    @Override
    public SequenceKernel sequenceKernel() {
        return this;
    }

    /** Whether {@code bias_hh} can be folded into the input projection (true unless a gate scales it, as GRU's n). */
    abstract boolean foldsHiddenBias();

    /**
     * The gate arithmetic of one row at one step, updating that row of the state in place.
     *
     * @param g      pre-activations at {@code base} ({@code G*H} values), overwritten with the activated gates
     * @param rec    recurrent projections at {@code rOff}, for cells that keep them apart (GRU); else unused
     * @param state  the state arrays, {@code [B, H]} each; the row starts at {@code ch}
     * @param tanhC  receives {@code tanh(c)} at {@code tc} (LSTM); else unused
     */
    abstract void rowForward(float[] g, int base, float[] rec, int rOff, float[][] state, int ch, float[] tanhC, int tc);

    @Override
    public StepKernel stepKernel(int batch) {
        if (batch < 1) {
            throw new IllegalArgumentException("stepKernel: batch must be >= 1, given " + batch);
        }
        int gh = gates * hidden;
        float[] g = new float[batch * gh];
        float[] rec = foldsHiddenBias() ? null : new float[batch * gh];
        float[] tanhC = new float[batch * hidden];
        float[][] state = new float[stateNames().size()][];
        // A snapshot of every weight, packed once: one step's products repack nothing, and a step
        // never mixes weights from before and after an update.
        Kernels.PackedMatrix input = k.pack(true, in, gh, weightIh.value().data(), 0, in);
        Kernels.PackedMatrix recurrent = k.pack(true, hidden, gh, weightHh.value().data(), 0, hidden);
        float[] bias = biasIh.value().data().clone();
        float[] hiddenBias = biasHh.value().data().clone();
        if (rec == null) {
            k.add(gh, bias, 0, hiddenBias, 0, bias, 0); // folded once, not per row and step
        }
        return (x, stateTensors) -> {
            AutogradSequenceKernel.checkStepArguments(this, batch, x, stateTensors);
            for (int s = 0; s < state.length; s++) {
                state[s] = stateTensors[s].data();
            }
            for (int row = 0; row < batch; row++) {
                System.arraycopy(bias, 0, g, row * gh, gh);
                if (rec != null) {
                    System.arraycopy(hiddenBias, 0, rec, row * gh, gh);
                }
            }
            k.gemm(false, batch, 1f, x.data(), 0, in, input, 1f, g, 0, gh);
            k.gemm(false, batch, 1f, state[0], 0, hidden, recurrent, 1f, rec == null ? g : rec, 0, gh);
            for (int row = 0; row < batch; row++) {
                rowForward(g, row * gh, rec, row * gh, state, row * hidden, tanhC, row * hidden);
            }
        };
    }

    /** A packed {@code weight^T} and a copy of the values it was packed from. */
    private record PackedWeight(float[] source, Kernels.PackedMatrix packed) {
    }

    /**
     * {@code weight^T} packed for the products of an inference run: the one the last inference run
     * packed while the weight still holds the values it was packed from (compared in full, so any
     * write to the weight, by an optimizer, a state-dict load or a user, is seen), else packed anew.
     * Packing both weights cost about 3% of RNN inference at (64, 100, 512, 512) (0.75 ms), every
     * call. Training runs pack afresh: their weights change at every optimizer step. A soft
     * reference, so that memory pressure can take the copies.
     */
    private Kernels.PackedMatrix packedForInference(AtomicReference<SoftReference<PackedWeight>> cache,
                                                    Parameter weight, int rows) {
        float[] values = weight.value().data();
        SoftReference<PackedWeight> ref = cache.get();
        PackedWeight last = ref == null ? null : ref.get();
        if (last != null && Arrays.equals(last.source(), values)) {
            return last.packed();
        }
        // Packed from the copy it is recorded with, so that a write meanwhile cannot pair them wrongly.
        float[] source = values.clone();
        Kernels.PackedMatrix packed = k.pack(true, rows, gates * hidden, source, 0, rows);
        cache.set(new SoftReference<>(new PackedWeight(source, packed)));
        return packed;
    }

    /** The idle training buffers, or a new empty set while another run holds them (or memory pressure took them). */
    private float[][] takeBuffers() {
        SoftReference<float[][]> idle = idleBuffers.getAndSet(null);
        float[][] set = idle == null ? null : idle.get();
        return set != null ? set : new float[SLOTS][];
    }

    /** The recurrence over the precomputed input projections; returns the backward pass when training. */
    abstract Backward recur(Run run);

    @Override
    public final Backward forward(Tensor input, int[] lengths, boolean reverse, Tensor[] initialState,
                                  Tensor output, Tensor[] finalState, boolean training) {
        SequenceArguments a = SequenceArguments.check(this, input, lengths, initialState, output, finalState);
        Run run = new Run(a, input, lengths == null ? null : lengths.clone(), reverse, initialState, output, finalState,
                training);
        Backward backward = recur(run);
        if (backward == null) {
            return null;
        }
        int states = stateNames().size();
        return (dOutput, dFinalState, dInput, dInitialState) -> {
            a.checkBackward(states, dOutput, dFinalState, dInput, dInitialState);
            run.startBackward();
            backward.run(dOutput, dFinalState, dInput, dInitialState);
            run.releaseBuffers();
        };
    }

    /** One real row of one step of a backward pass: turns that row's {@code dh} into gate gradients. */
    @FunctionalInterface
    interface RowBackward {
        /**
         * @param gBase offset of the row's gates in the {@code [B, T, G*H]} buffers
         * @param sBase offset of the row's state in the {@code [B, T, H]} buffers
         * @param ch    offset of the row in the {@code [B, H]} buffers
         */
        void run(int gBase, int sBase, int ch);
    }

    /** A range {@code [lo, hi)} of rows (batch rows, or the items {@link Run#inPieces} spreads). */
    @FunctionalInterface
    interface Rows {
        void run(int lo, int hi);
    }

    /**
     * Fewest batch rows per part when a recurrence is split over threads: more than 8 keeps every
     * part's products on the packed GEMM path, whose tiles use all of their 8 rows. (Either path
     * sums in the same order, so a split run is bit-identical to an unsplit one regardless.)
     */
    static final int MIN_PART_ROWS = 16;

    /**
     * Parameter gradients are summed over each half of the batch and then added ({@link Run#sumHalves})
     * when one half's weight gradients, {@code G*H*(I+H)} floats, are fewer than this (2 MiB), for
     * batches of at least two parts. At (64, 100, 512, 512) the halves' 2-8 MiB sums cost as much as
     * they save (training 0.1-0.8% slower); below, up to 18% faster (bench/README.md).
     */
    static final long HALVES_MAX_FLOATS = 1L << 19;

    /**
     * Slots of the training work buffers that one run keeps for the next. Each is as large as a
     * sequence (13 MiB for a [B, T, H] buffer at (64, 100, 512, 512); the LSTM's gate buffers 4 times
     * that), and a fresh Java array is zeroed and later collected. Reusing them made training 3%
     * faster for RNN at that shape and 7-20% for LSTM and GRU at (32, 50, 64, 128) (medians of
     * alternating JMH forks; bench/README.md).
     */
    static final int X = 0;
    static final int GATES = 1;
    static final int H_PREV = 2;
    static final int C_PREV = 3;
    static final int TANH_C = 4;
    static final int RECURRENT = 5;
    static final int D_GATES = 6;
    static final int D_RECURRENT = 7;
    static final int WEIGHT_GRADIENTS = 8;
    private static final int SLOTS = 9;

    /** Pieces per thread, and fewest floats per piece (256 KiB), of the work {@link Run#inPieces} spreads. */
    static final int PIECES_PER_THREAD = 4;
    static final int MIN_PIECE_FLOATS = 1 << 16;

    /** Most input projections (floats, 256 KiB) an inference run computes up front: they stay in L2. */
    static final int UP_FRONT_MAX_FLOATS = 1 << 16;

    /** The state of one forward run: sizes, batch-major buffers, and the shared GEMM steps. */
    final class Run {
        final int b;
        final int t;
        final int gh;
        final int[] lengths;
        final boolean reverse;
        final boolean training;
        final Tensor output;
        final Tensor[] finalState;
        /**
         * The input kept for the weight gradients in training, {@code [B, T, xStride]}: the input's
         * {@code I}, then, when the weight gradients are {@link #fusedWeightGradients}, the
         * {@code H} of the state the step started from (both written by {@link #keepHidden}; else
         * a copy of the input made by {@link #beginPart}); null in inference.
         */
        final float[] x;
        /** Floats per row of {@link #x}. */
        final int xStride;
        /**
         * Whether both weight gradients come from one product, {@code dGates^T [x | h_prev]}: in
         * training, for cells with one set of gate gradients (those that fold {@code bias_hh}).
         */
        final boolean fusedWeightGradients;
        /**
         * Whether the input projections of every step are computed before the recurrence, in one
         * GEMM per part ({@link #beginPart}), rather than step by step (see {@link #project}).
         */
        final boolean upFront;
        /**
         * Gate pre-activations of every step, {@code [B, T, G*H]}, overwritten with the activated
         * gates by the recurrence, when projected {@link #upFront}; else null (see {@link #partGates()}).
         */
        final float[] gatesBuf;
        /**
         * Floats between the rows of two consecutive sequences at one step in the gate buffers:
         * {@code T*G*H} in the sequence-sized ones, {@code G*H} in one-step buffers.
         */
        final int gateStride;
        /**
         * Floats between two consecutive sequences' rows at one step in {@code [B, T, H]} buffers: the
         * training buffers, the output and its gradient.
         */
        final int stateStride;
        /**
         * Initial state per state name, {@code [B, H]} each: copies, since a part may write its rows
         * of the final states (which a caller may pass as the initial ones) before another part
         * takes its own copy ({@link #partState}).
         */
        final float[][] initial;
        /** {@code weight_hh^T}, packed once for the products of every step. */
        final Kernels.PackedMatrix recurrentForward;
        /** {@code weight_ih^T}, packed once for the input projections of every step; null when {@link #upFront}. */
        private final Kernels.PackedMatrix inputForward;
        /** The input, batch-first {@code [B, T, I]}. */
        private final float[] input;
        /** {@code bias_ih}, plus {@code bias_hh} when the cell folds it in. */
        private final float[] projectionBias;
        /** Part {@code p} of a split recurrence owns rows {@code [bounds[p], bounds[p + 1])}. */
        private final int[] bounds;
        /**
         * Whether the parameter gradients are summed over each half of the batch, then added
         * ({@link #gradientsInHalves}): decided by the shape alone, so that the sums, and so every
         * bit of the gradients, do not depend on the thread count.
         */
        private final boolean sumHalves;
        /**
         * The training work buffers by slot, taken from the cell's idle set (or new) and given back
         * when the backward pass ends; null in inference.
         */
        private final float[][] buffers;
        /** Set when the backward pass starts: it runs at most once, and its buffers then serve another run. */
        private final AtomicBoolean backwardStarted = new AtomicBoolean();

        Run(SequenceArguments a, Tensor input, int[] lengths, boolean reverse, Tensor[] initialState, Tensor output,
            Tensor[] finalState, boolean training) {
            this.b = a.batch();
            this.t = a.steps();
            this.gh = gates * hidden;
            if (training) {
                // Training buffers hold every step, and their offsets are ints.
                requireArray("the training buffers", (long) t * b * Math.max(gh, in + hidden));
                requireArray("the weight gradients", 2L * gh * (in + hidden) + 4L * gh);
            }
            this.lengths = lengths;
            int parts = Math.max(1, Math.min(k.maxThreads(), b / MIN_PART_ROWS));
            this.bounds = new int[parts + 1];
            for (int p = 0; p <= parts; p++) {
                bounds[p] = (int) ((long) b * p / parts);
            }
            this.reverse = reverse;
            this.training = training;
            this.output = output;
            this.finalState = finalState;
            this.input = input.data();
            this.buffers = training ? takeBuffers() : null;
            this.upFront = training || (long) t * b * gates * hidden <= UP_FRONT_MAX_FLOATS;
            this.fusedWeightGradients = training && foldsHiddenBias();
            this.sumHalves = training && b >= 2 * MIN_PART_ROWS
                    && (long) gh * (in + hidden) < HALVES_MAX_FLOATS;
            this.xStride = fusedWeightGradients ? in + hidden : in;
            this.gateStride = upFront ? t * gh : gh;
            this.stateStride = t * hidden;
            if (!training) {
                this.x = null;
            } else if (fusedWeightGradients) {
                this.x = buffer(X, t * b * xStride); // filled step by step by keepHidden
            } else {
                this.x = buffer(X, t * b * in); // filled part by part by beginPart
            }
            int states = finalState.length;
            this.initial = new float[states][];
            for (int s = 0; s < states; s++) {
                initial[s] = initialState == null || initialState[s] == null
                        ? new float[b * hidden] : initialState[s].data().clone();
            }
            this.recurrentForward = training ? k.pack(true, hidden, gh, weightHh.value().data(), 0, hidden)
                    : packedForInference(recurrentPacked, weightHh, hidden);
            this.inputForward = upFront ? null : packedForInference(inputPacked, weightIh, in);
            this.gatesBuf = upFront ? buffer(GATES, projectionFloats()) : null;
            float[] bias = biasIh.value().data();
            if (foldsHiddenBias()) {
                bias = bias.clone();
                k.add(gh, bias, 0, biasHh.value().data(), 0, bias, 0);
            }
            this.projectionBias = bias;
        }

        /**
         * The work a part of the recurrence does first, for sequences {@code [lo, hi)}, so that the
         * rows it works on later are written by its own core: in training, when the weight
         * gradients are not {@link #fusedWeightGradients}, its rows of the input kept in {@link #x};
         * when projected {@link #upFront}, its input projections {@code bias + x weight_ih^T} of
         * every step. Done by the caller for all parts, half the rows were written on one core and
         * read on the other: the projections cost 6% of a two-thread RNN training step at
         * (32, 50, 64, 128) while the hypervisor kept the two vCPUs on distant cores, the input
         * copy 1% of GRU's (bench/README.md). A row's sums do not depend on how the rows are split.
         */
        void beginPart(int lo, int hi) {
            if (training && !fusedWeightGradients) {
                System.arraycopy(input, lo * t * in, x, lo * t * in, (hi - lo) * t * in);
            }
            if (!upFront || hi <= lo || t == 0) {
                return;
            }
            for (int r = lo * t; r < hi * t; r++) {
                System.arraycopy(projectionBias, 0, gatesBuf, r * gh, gh);
            }
            k.gemm(false, true, (hi - lo) * t, gh, in, 1f, input, lo * t * in, in, weightIh.value().data(), 0, in, 1f,
                    gatesBuf, lo * t * gh, gh);
        }

        /**
         * Runs {@code body} over {@code [0, count)}, items of {@code width} floats, in pieces spread
         * over the kernels' threads when there is enough of it to pay for the hand-off: the
         * additions of the fused weight-gradient product's halves, which one thread ran alone while
         * the other waited (1.1-1.4 ms of LSTM's training step at (64, 100, 512, 512); 0.7-1.1
         * after). Pieces are claimed as threads come free, so a core slowed by something else takes fewer.
         */
        void inPieces(int count, int width, Rows body) {
            long floats = (long) count * width;
            int pieces = (int) Math.min(Math.min(k.maxThreads() * PIECES_PER_THREAD, count),
                    Math.max(1, floats / MIN_PIECE_FLOATS));
            if (pieces <= 1) {
                body.run(0, count);
                return;
            }
            k.parallel(pieces, p -> body.run((int) ((long) count * p / pieces),
                    (int) ((long) count * (p + 1) / pieces)));
        }

        /**
         * A work buffer of at least {@code size} floats: in training, the one in {@code slot} with
         * arbitrary contents (a caller overwrites every element it later reads), from the set the
         * last finished training run gave back when no other run holds it (a soft reference, so that
         * a model that trained once and now only serves does not pin it against memory pressure);
         * in inference a new array, kept by nobody after the run.
         */
        float[] buffer(int slot, int size) {
            if (buffers == null) {
                return new float[size];
            }
            float[] buf = buffers[slot];
            if (buf == null || buf.length < size) {
                buf = new float[size];
                buffers[slot] = buf;
            }
            return buf;
        }

        /**
         * A training buffer of {@code [B, T, width]} gradients for the backward pass: the rows of
         * padded steps, which the pass never writes but its products read, are zero.
         */
        float[] gradientBuffer(int slot, int width) {
            float[] buf = buffer(slot, t * b * width);
            if (lengths != null) {
                for (int row = 0; row < b; row++) {
                    Arrays.fill(buf, (row * t + lengths[row]) * width, (row + 1) * t * width, 0f);
                }
            }
            return buf;
        }

        /** Marks the start of the backward pass; refuses a second one, whose buffers may already serve another run. */
        private void startBackward() {
            if (!backwardStarted.compareAndSet(false, true)) {
                throw new IllegalStateException("the backward pass of a forward run may run only once; it already ran");
            }
        }

        private void requireArray(String what, long floats) {
            if (floats > Memory.MAX_ARRAY_LENGTH) {
                throw new IllegalArgumentException(GatedCell.this.getClass().getSimpleName() + ": " + what
                        + " of a training run of B = " + b + ", T = " + t + " need " + floats
                        + " floats in one array, more than a Java array holds (" + Memory.MAX_ARRAY_LENGTH
                        + "); train on shorter windows (truncated BPTT) or smaller batches");
            }
        }

        /** Gives the training buffers back to the cell for the next training run; the run's backward pass has ended. */
        private void releaseBuffers() {
            idleBuffers.set(new SoftReference<>(buffers));
        }

        /** Floats of the gate-buffer layout: every step's rows when {@link #upFront}, else one step's. */
        int projectionFloats() {
            return (upFront ? t : 1) * b * gh;
        }

        /**
         * The gate buffer a part of the recurrence works in: {@link #gatesBuf} when projected
         * {@link #upFront}, else a one-step buffer of its own, {@code [B, G*H]} of which the part
         * uses its rows. Step buffers are per part, and so are the states ({@link #partState}),
         * because parts run on different cores: with the rows of both parts in one array (16 KiB
         * apart or less), a copy of RNN inference's loop at (64, 100, 512, 512) ran 13% slower than
         * with arrays of their own, and the layer 4-10% (bench/README.md; the cores' prefetchers
         * seem to pull each other's lines).
         */
        float[] partGates() {
            return partGates(gatesBuf);
        }

        /**
         * A part's buffer laid out like the gates (GRU's recurrent projections too): {@code allSteps}
         * when projected {@link #upFront}, else a one-step buffer of its own (see {@link #partGates()}).
         */
        float[] partGates(float[] allSteps) {
            return upFront ? allSteps : new float[projectionFloats()];
        }

        /**
         * A part's copy of the initial states, {@code [B, H]} each, of which the part uses and
         * updates its rows (see {@link #partGates()}); {@link #writeFinal} copies them out at the end.
         */
        float[][] partState() {
            float[][] state = new float[initial.length][];
            for (int s = 0; s < state.length; s++) {
                state[s] = initial[s].clone();
            }
            return state;
        }

        /**
         * Keeps the inputs of step {@code time} and the states it starts from, rows {@code [lo, hi)}
         * of {@code h}, side by side in {@link #x} for the {@link #fusedWeightGradients}: each part
         * copies its own rows on its own thread, between its products.
         */
        void keepHidden(int lo, int hi, int time, float[] h) {
            for (int row = lo; row < hi; row++) {
                int at = (row * t + time) * xStride;
                System.arraycopy(input, (row * t + time) * in, x, at, in);
                System.arraycopy(h, row * hidden, x, at + in, hidden);
            }
        }

        /** Offset of the row of sequence 0 at step {@code time} in the gate buffers (see {@link #gateStride}). */
        int gateOffset(int time) {
            return upFront ? time * gh : 0;
        }

        /**
         * Offset of the row of sequence 0 at step {@code time} in {@code [B, T, H]} buffers: the
         * training buffers, the output and its gradient.
         */
        int stateOffset(int time) {
            return time * hidden;
        }

        /** Copies rows {@code [lo, hi)} of a {@code [B, H]} state into step {@code time} of a {@code [B, T, H]} training buffer. */
        void keepState(int lo, int hi, int time, float[] state, float[] kept) {
            int off = stateOffset(time);
            for (int row = lo; row < hi; row++) {
                System.arraycopy(state, row * hidden, kept, off + row * stateStride, hidden);
            }
        }

        /**
         * Writes the input projections {@code bias + x_time weight_ih^T} of rows {@code [lo, hi)} to
         * {@code gates} (a part's {@link #partGates()}) at {@link #gateOffset}, in inference.
         * Projecting step by step keeps the rows in cache for the recurrent product and the gate
         * pass that follow; projected all at once up front, they were back in memory by then and
         * the recurrent GEMM stalled on every tile of them (LSTM inference 25-50% slower at
         * (32, 50, 64, 128) and (64, 100, 128, 256)). Each part projects all its steps
         * {@link #upFront} ({@link #beginPart}) instead when training, which keeps every
         * step's gates anyway (step by step measured 5% slower there, and level after the parts
         * got buffers of their own), and when all projections fit in cache, where the per-step
         * calls cost more than they save (RNN inference at B = 1); this then does nothing. The
         * sums are the same either way.
         */
        void project(int lo, int hi, int time, float[] gates) {
            if (upFront) {
                return;
            }
            int off = gateOffset(time);
            biasRows(lo, hi, projectionBias, gates, off);
            k.gemm(false, hi - lo, 1f, input, (lo * t + time) * in, t * in, inputForward, 1f, gates,
                    off + lo * gateStride, gateStride);
        }

        /**
         * Copies {@code bias} ({@code G*H} floats) into rows {@code [lo, hi)} of a gate buffer at
         * {@code off}, {@link #gateStride} apart.
         */
        void biasRows(int lo, int hi, float[] bias, float[] dst, int off) {
            for (int row = lo; row < hi; row++) {
                System.arraycopy(bias, 0, dst, off + row * gateStride, gh);
            }
        }

        /**
         * Runs {@code body} once per part of the batch, the parts on separate threads when there are
         * several: rows never interact within a recurrence, so each part runs all its steps with no
         * hand-off between threads per step (a step is too short to split profitably).
         */
        void inParts(Rows body) {
            int parts = bounds.length - 1;
            if (parts == 1) {
                body.run(0, b);
            } else {
                k.parallel(parts, p -> body.run(bounds[p], bounds[p + 1]));
            }
        }

        /** The time index of processing step {@code s}. */
        int time(int s) {
            return reverse ? t - 1 - s : s;
        }

        boolean active(int row, int time) {
            return lengths == null || time < lengths[row];
        }

        /** Whether every sequence of rows {@code [lo, hi)} is real at {@code time}. */
        boolean allActive(int lo, int hi, int time) {
            if (lengths == null) {
                return true;
            }
            for (int row = lo; row < hi; row++) {
                if (time >= lengths[row]) {
                    return false;
                }
            }
            return true;
        }

        /**
         * Adds {@code h x weight_hh^T} for rows {@code [lo, hi)} of {@code h [B, H]} to the rows of
         * a gate buffer at {@code gOff} (a {@link #gateOffset}), {@link #gateStride} apart.
         */
        void addRecurrent(int lo, int hi, float[] h, float[] dst, int gOff) {
            k.gemm(false, hi - lo, 1f, h, lo * hidden, hidden, recurrentForward, 1f, dst,
                    gOff + lo * gateStride, gateStride);
        }

        /** Writes the output of one step for rows {@code [lo, hi)}, zero for padded rows. */
        void writeOutput(int lo, int hi, int time, float[] h) {
            float[] out = output.data();
            for (int row = lo; row < hi; row++) {
                int dst = stateOffset(time) + row * stateStride;
                if (active(row, time)) {
                    System.arraycopy(h, row * hidden, out, dst, hidden);
                } else {
                    Arrays.fill(out, dst, dst + hidden, 0f);
                }
            }
        }

        /**
         * The backward recurrence every built-in cell shares: from the last processed step to the
         * first, add the step's output gradient to {@code dh}, let the cell turn {@code dh} into gate
         * gradients row by row (real rows only), then carry {@code dh} one step back through
         * {@code weight_hh}.
         *
         * @param dh     gradient of the hidden state, updated in place; holds the initial-state gradient at the end
         * @param dGh    the gate gradients that flow through {@code weight_hh}, {@code [B, T, G*H]}
         * @param direct gradient reaching the previous state other than through {@code weight_hh}, or null
         */
        void backwardSteps(Tensor dOutput, float[] dh, float[] dGh, float[] direct, RowBackward rowBackward) {
            float[] held = new float[b * hidden];
            Kernels.PackedMatrix recurrent = k.pack(false, gh, hidden, weightHh.value().data(), 0, hidden);
            inParts((lo, hi) -> {
                for (int s = t - 1; s >= 0; s--) {
                    int time = time(s);
                    int off = gateOffset(time);
                    int sOff = stateOffset(time);
                    addOutputGradient(lo, hi, dOutput, time, dh);
                    for (int row = lo; row < hi; row++) {
                        if (active(row, time)) {
                            rowBackward.run(off + row * gateStride, sOff + row * stateStride, row * hidden);
                        }
                    }
                    hiddenBackward(lo, hi, time, recurrent, dGh, off, dh, direct, held);
                }
            });
        }

        /**
         * {@code dh <- dGates_t [B, G*H] x weight_hh (+ direct)} for rows {@code [lo, hi)}: the
         * hidden-state gradient one step earlier. Padded rows pass their gradient through unchanged,
         * as their state did.
         *
         * @param recurrent {@code weight_hh}, packed
         * @param direct    gradient reaching {@code h_prev} other than through {@code weight_hh}, or null
         * @param held      scratch of {@code [B, H]}
         */
        private void hiddenBackward(int lo, int hi, int time, Kernels.PackedMatrix recurrent, float[] dGates, int gOff,
                                    float[] dh, float[] direct, float[] held) {
            boolean all = allActive(lo, hi, time);
            int from = lo * hidden;
            int size = (hi - lo) * hidden;
            if (!all) {
                System.arraycopy(dh, from, held, from, size);
            }
            k.gemm(false, hi - lo, 1f, dGates, gOff + lo * gateStride, gateStride, recurrent, 0f, dh, from, hidden);
            if (direct != null) {
                k.axpy(size, 1f, direct, from, dh, from);
            }
            if (!all) {
                for (int row = lo; row < hi; row++) {
                    if (!active(row, time)) {
                        System.arraycopy(held, row * hidden, dh, row * hidden, hidden);
                    }
                }
            }
        }

        /** The upstream gradient of the output at {@code time}, rows {@code [lo, hi)}, added into {@code dh}. */
        void addOutputGradient(int lo, int hi, Tensor dOutput, int time, float[] dh) {
            if (dOutput == null) {
                return;
            }
            float[] d = dOutput.data();
            for (int row = lo; row < hi; row++) {
                if (active(row, time)) {
                    k.axpy(hidden, 1f, d, stateOffset(time) + row * stateStride, dh, row * hidden);
                }
            }
        }

        /**
         * The weight, bias and input gradients of the whole run as GEMMs over all steps.
         *
         * @param dGi    gradient for the input projections {@code [B, T, G*H]}
         * @param dGh    gradient for the recurrent projections (the same array when the bias is folded)
         * @param sharedColumns how many leading gate columns of {@code dGh} equal those of {@code dGi}
         *                      ({@code G*H} when they are the same array)
         * @param hPrev  the state each step started from, {@code [B, T, H]}; null when
         *               {@link #fusedWeightGradients} (then kept in {@link #x})
         * @param dInput receives the input gradient, or null
         */
        void parameterGradients(float[] dGi, float[] dGh, int sharedColumns, float[] hPrev, Tensor dInput) {
            int rows = t * b;
            if (rows == 0) {
                return;
            }
            if (sumHalves) {
                gradientsInHalves(dGi, dGh, sharedColumns, hPrev, dInput);
                return;
            }
            if (fusedWeightGradients) {
                // One product packs the sequence-sized dGates^T once for both weights (about 9%
                // faster than two for RNN at the largest shape), then adds its halves into them.
                float[] both = buffer(WEIGHT_GRADIENTS, gh * xStride);
                k.gemm(true, false, gh, xStride, rows, 1f, dGi, 0, gh, x, 0, xStride, 0f, both, 0, xStride);
                float[] dWih = weightIh.grad().data();
                float[] dWhh = weightHh.grad().data();
                inPieces(gh, xStride, (lo, hi) -> {
                    for (int g = lo; g < hi; g++) {
                        k.axpy(in, 1f, both, g * xStride, dWih, g * in);
                        k.axpy(hidden, 1f, both, g * xStride + in, dWhh, g * hidden);
                    }
                });
            } else {
                k.gemm(true, false, gh, in, rows, 1f, dGi, 0, gh, x, 0, xStride, 1f, weightIh.grad().data(), 0, in);
                k.gemm(true, false, gh, hidden, rows, 1f, dGh, 0, gh, hPrev, 0, hidden, 1f, weightHh.grad().data(), 0,
                        hidden);
            }
            float[] ones = new float[rows];
            Arrays.fill(ones, 1f);
            // Columns the two gradients share get one column sum for both biases: one pass over the
            // sequence-sized gradients instead of two (13-52 MB at the largest shape), the same sums.
            float[] sums = new float[gh];
            k.gemv(true, rows, gh, 1f, dGi, 0, gh, ones, 0, 0f, sums, 0);
            k.axpy(gh, 1f, sums, 0, biasIh.grad().data(), 0);
            k.axpy(sharedColumns, 1f, sums, 0, biasHh.grad().data(), 0);
            if (sharedColumns < gh) {
                k.gemv(true, rows, gh - sharedColumns, 1f, dGh, sharedColumns, gh, ones, 0, 1f, biasHh.grad().data(),
                        sharedColumns);
            }
            if (dInput != null) {
                k.gemm(false, false, rows, in, gh, 1f, dGi, 0, gh, weightIh.value().data(), 0, in, 1f,
                        dInput.data(), 0, in);
            }
        }

        /**
         * {@link #parameterGradients} for each half of the batch on a thread of its own, then the
         * halves' sums added. Each thread reads the gate gradients and inputs that its part of the
         * recurrence wrote, where one product over all rows had each core read half its rows from
         * the other's cache: with the hypervisor's two vCPUs on distant cores, GRU's training step
         * at (32, 50, 64, 128) took 2.63 ms instead of 3.22, and RNN's at (64, 100, 128, 256) 12.9
         * instead of 13.9; RNN's at (32, 50, 64, 128) 3% less with the cores near (bench/README.md).
         * One thread runs the halves in turn, with the same sums.
         */
        private void gradientsInHalves(float[] dGi, float[] dGh, int sharedColumns, float[] hPrev, Tensor dInput) {
            int weights = gh * (in + hidden);
            int per = weights + 2 * gh;
            float[] partial = buffer(WEIGHT_GRADIENTS, 2 * per);
            int half = b / 2;
            k.parallel(2, p -> {
                int lo = (p == 0 ? 0 : half) * t;
                int n = (p == 0 ? half : b - half) * t;
                int off = p * per;
                if (fusedWeightGradients) {
                    k.gemm(true, false, gh, xStride, n, 1f, dGi, lo * gh, gh, x, lo * xStride, xStride, 0f, partial, off,
                            xStride);
                } else {
                    k.gemm(true, false, gh, in, n, 1f, dGi, lo * gh, gh, x, lo * in, in, 0f, partial, off, in);
                    k.gemm(true, false, gh, hidden, n, 1f, dGh, lo * gh, gh, hPrev, lo * hidden, hidden, 0f, partial,
                            off + gh * in, hidden);
                }
                float[] ones = new float[n];
                Arrays.fill(ones, 1f);
                k.gemv(true, n, gh, 1f, dGi, lo * gh, gh, ones, 0, 0f, partial, off + weights);
                if (sharedColumns < gh) {
                    k.gemv(true, n, gh - sharedColumns, 1f, dGh, lo * gh + sharedColumns, gh, ones, 0, 0f, partial,
                            off + weights + gh + sharedColumns);
                }
                if (dInput != null) {
                    k.gemm(false, false, n, in, gh, 1f, dGi, lo * gh, gh, weightIh.value().data(), 0, in, 1f,
                            dInput.data(), lo * in, in);
                }
            });
            float[] dWih = weightIh.grad().data();
            float[] dWhh = weightHh.grad().data();
            // Row g of the input and recurrent weights' halves: side by side when fused, else in two blocks.
            int ihRow = fusedWeightGradients ? xStride : in;
            int hhRow = fusedWeightGradients ? xStride : hidden;
            int hhAt = fusedWeightGradients ? in : gh * in;
            inPieces(gh, in + hidden, (lo, hi) -> {
                for (int g = lo; g < hi; g++) {
                    int ih = g * ihRow;
                    int hh = hhAt + g * hhRow;
                    k.add(in, partial, ih, partial, per + ih, partial, ih);
                    k.add(hidden, partial, hh, partial, per + hh, partial, hh);
                    k.axpy(in, 1f, partial, ih, dWih, g * in);
                    k.axpy(hidden, 1f, partial, hh, dWhh, g * hidden);
                }
            });
            int own = weights + gh + sharedColumns; // the column sums of dGh's own columns
            k.add(gh, partial, weights, partial, per + weights, partial, weights);
            k.add(gh - sharedColumns, partial, own, partial, per + own, partial, own);
            k.axpy(gh, 1f, partial, weights, biasIh.grad().data(), 0);
            k.axpy(sharedColumns, 1f, partial, weights, biasHh.grad().data(), 0);
            k.axpy(gh - sharedColumns, 1f, partial, own, biasHh.grad().data(), sharedColumns);
        }

        /** Copies rows {@code [lo, hi)} of a part's states into the final states. */
        void writeFinal(int lo, int hi, float[][] state) {
            for (int s = 0; s < state.length; s++) {
                System.arraycopy(state[s], lo * hidden, finalState[s].data(), lo * hidden, (hi - lo) * hidden);
            }
        }

        /** The upstream gradient for final state {@code s}, copied, or zeros. */
        float[] finalGradient(Tensor[] dFinal, int s) {
            if (dFinal == null || dFinal[s] == null) {
                return new float[b * hidden];
            }
            return dFinal[s].data().clone();
        }

        /** Writes the initial-state gradient {@code s}, if asked for. */
        void writeInitialGradient(Tensor[] dInitial, int s, float[] grad) {
            if (dInitial != null && dInitial[s] != null) {
                System.arraycopy(grad, 0, dInitial[s].data(), 0, b * hidden);
            }
        }
    }
}
