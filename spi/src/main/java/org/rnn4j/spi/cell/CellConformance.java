package org.rnn4j.spi.cell;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.rnn4j.core.Parameter;
import org.rnn4j.core.Tensor;
import org.rnn4j.core.io.SafeTensors;
import org.rnn4j.spi.Options;

/**
 * The conformance kit for recurrent cells: what a plugin author runs on a cell before shipping it,
 * and what the built-in cells pass. Each check throws {@link AssertionError} with a precise message
 * (test frameworks report it as a failure); {@link #checkAll} runs them all.
 *
 * <ul>
 *   <li>{@link #checkContract}: state names, unique parameter names, sizes, unknown options rejected;</li>
 *   <li>{@link #checkKernelMatchesStep}: the cell's sequence kernel computes what its step does on a
 *       tape (forward and every gradient), with padding, in both directions;</li>
 *   <li>{@link #checkGradients}: gradients agree with central finite differences;</li>
 *   <li>{@link #checkGradientsAccumulate}: the backward pass adds to parameter and input gradients
 *       and overwrites initial-state gradients, as {@link SequenceKernel.Backward} requires;</li>
 *   <li>{@link #checkBackwardArguments}: a backward pass given a mis-shaped gradient refuses it,
 *       naming it, and changes nothing;</li>
 *   <li>{@link #checkOptionalArguments}: the nulls the layers pass (no lengths, no initial state,
 *       no gradient for the output or a final state, no input or initial-state gradient wanted)
 *       mean what {@link SequenceKernel} says they mean;</li>
 *   <li>{@link #checkInference}: a forward pass without training computes what a training pass does;</li>
 *   <li>{@link #checkStepKernel}: streaming one step at a time computes what the sequence kernel does;</li>
 *   <li>{@link #checkDeterminism}: equal seeds give bit-identical parameters and outputs, other seeds differ;</li>
 *   <li>{@link #checkSaveLoad}: parameters survive a safetensors round trip into a fresh cell.</li>
 * </ul>
 */
public final class CellConformance {

    private static final int B = 3;
    private static final int T = 4;
    private static final int[] LENGTHS = {4, 2, 0};

    /** What {@link #checkGradientsAccumulate} puts in the gradient buffers before a backward pass. */
    private static final float PREFILL_PARAMETER = 0.25f;
    private static final float PREFILL_INPUT = 0.5f;
    private static final float PREFILL_INITIAL = 1000f;

    private final CellProvider provider;
    private final Options options;
    private final int inputSize;
    private final int hiddenSize;

    private CellConformance(CellProvider provider, Options options, int inputSize, int hiddenSize) {
        this.provider = provider;
        this.options = options;
        this.inputSize = inputSize;
        this.hiddenSize = hiddenSize;
    }

    /** A kit for cells of {@code provider} with the given options, at input size 3 and hidden size 4. */
    public static CellConformance of(CellProvider provider, Options options) {
        return of(provider, options, 3, 4);
    }

    /**
     * A kit for cells of {@code provider} with the given options and sizes, for cells that need
     * particular ones (input size equal to the hidden size, say). Small sizes keep the finite
     * differences quick: every element of every parameter is perturbed.
     *
     * @throws IllegalArgumentException when a size is below 1
     */
    public static CellConformance of(CellProvider provider, Options options, int inputSize, int hiddenSize) {
        if (inputSize < 1 || hiddenSize < 1) {
            throw new IllegalArgumentException("conformance kit: sizes must be >= 1, given input " + inputSize
                    + " and hidden " + hiddenSize);
        }
        return new CellConformance(provider, options, inputSize, hiddenSize);
    }

    /** Runs every check. */
    public void checkAll() {
        checkContract();
        checkKernelMatchesStep();
        checkGradients();
        checkGradientsAccumulate();
        checkBackwardArguments();
        checkOptionalArguments();
        checkInference();
        checkStepKernel();
        checkDeterminism();
        checkSaveLoad();
    }

    /**
     * State names start with {@code h}; parameter names are unique and non-empty; sizes are as
     * asked; an unknown option is an {@link IllegalArgumentException} that names it (as
     * {@link Options#requireOnly} gives), not a silently ignored setting.
     */
    public void checkContract() {
        String unknown = "conformance_unknown_option";
        boolean rejected = false;
        try {
            provider.create(new CellSpec(inputSize, hiddenSize, options.with(unknown, "1"), 1));
        } catch (IllegalArgumentException e) {
            require(e.getMessage() != null && e.getMessage().contains(unknown),
                    "the error for an unknown option must name it ('" + unknown + "'), got: " + e.getMessage());
            rejected = true;
        }
        require(rejected, "a cell created with the unknown option '" + unknown
                + "' must throw IllegalArgumentException naming it (Options.requireOnly); it was accepted");
        RecurrentCell cell = create(1);
        require(cell.inputSize() == inputSize && cell.hiddenSize() == hiddenSize,
                "cell sizes are (" + cell.inputSize() + ", " + cell.hiddenSize() + "), asked for (" + inputSize + ", "
                        + hiddenSize + ")");
        require(!cell.stateNames().isEmpty() && cell.stateNames().get(0).equals("h"),
                "stateNames() must start with \"h\", found " + cell.stateNames());
        require(!cell.parameters().isEmpty(), "the cell has no parameters");
        Set<String> names = new HashSet<>();
        for (Parameter p : cell.parameters()) {
            require(!p.name().isEmpty() && names.add(p.name()), "parameter name '" + p.name() + "' is empty or repeated");
        }
    }

    /**
     * The cell's {@link RecurrentCell#sequenceKernel()} agrees with {@link AutogradSequenceKernel}
     * over its {@link RecurrentCell#step}: outputs, final states and all gradients, to 1e-4 relative.
     */
    public void checkKernelMatchesStep() {
        for (boolean reverse : new boolean[] {false, true}) {
            RecurrentCell cell = create(2);
            Run fused = run(cell, cell.sequenceKernel(), reverse, 5);
            Run tape = run(cell, new AutogradSequenceKernel(cell), reverse, 5);
            String dir = reverse ? " (reverse)" : "";
            close("output" + dir, tape.output, fused.output, 1e-4);
            for (int s = 0; s < tape.finals.length; s++) {
                close("final state " + cell.stateNames().get(s) + dir, tape.finals[s], fused.finals[s], 1e-4);
                close("initial-state gradient " + cell.stateNames().get(s) + dir, tape.dInitial[s], fused.dInitial[s], 1e-4);
            }
            close("input gradient" + dir, tape.dInput, fused.dInput, 1e-4);
            for (String name : tape.paramGrads.keySet()) {
                close("gradient of " + name + dir, tape.paramGrads.get(name), fused.paramGrads.get(name), 1e-4);
            }
            for (int b = 0; b < B; b++) {
                for (int t = LENGTHS[b]; t < T; t++) {
                    for (int j = 0; j < hiddenSize; j++) {
                        require(fused.output.data()[(b * T + t) * hiddenSize + j] == 0f,
                                "padded step " + t + " of sequence " + b + " must output 0" + dir);
                    }
                    for (int j = 0; j < inputSize; j++) {
                        require(fused.dInput.data()[(b * T + t) * inputSize + j] == 0f,
                                "padded step " + t + " of sequence " + b + " must get no input gradient" + dir);
                    }
                }
            }
        }
    }

    /**
     * The backward pass adds the parameter gradients and the input gradient to what the buffers
     * hold (gradients sum over windows and batches, which trainers rely on) and overwrites the
     * initial-state gradients: the same run into zeroed buffers and into buffers holding other
     * values must differ by exactly those values.
     */
    public void checkGradientsAccumulate() {
        for (boolean reverse : new boolean[] {false, true}) {
            RecurrentCell cell = create(4);
            SequenceKernel kernel = cell.sequenceKernel();
            String dir = reverse ? " (reverse)" : "";
            Run clean = run(cell, kernel, reverse, 8);
            Run filled = run(cell, kernel, reverse, 8, clean, null, true);
            close("input gradient added to " + PREFILL_INPUT + dir, clean.dInput, minus(filled.dInput, PREFILL_INPUT), 1e-5);
            for (String name : clean.paramGrads.keySet()) {
                close("gradient of " + name + " added to " + PREFILL_PARAMETER + dir, clean.paramGrads.get(name),
                        minus(filled.paramGrads.get(name), PREFILL_PARAMETER), 1e-5);
            }
            for (int s = 0; s < clean.dInitial.length; s++) {
                close("initial-state gradient " + cell.stateNames().get(s) + ", which must overwrite "
                        + PREFILL_INITIAL + dir, clean.dInitial[s], filled.dInitial[s], 1e-5);
            }
        }
    }

    private static Tensor minus(Tensor t, float value) {
        Tensor out = t.copy();
        for (int i = 0; i < out.size(); i++) {
            out.data()[i] -= value;
        }
        return out;
    }

    /** Gradients of the sequence kernel agree with central finite differences (float32; non-smooth points are skipped). */
    public void checkGradients() {
        for (boolean reverse : new boolean[] {false, true}) {
            RecurrentCell cell = create(3);
            SequenceKernel kernel = cell.sequenceKernel();
            Run base = run(cell, kernel, reverse, 6);
            String dir = reverse ? " (reverse)" : "";
            numeric("input" + dir, base.input, base.dInput, () -> run(cell, kernel, reverse, 6, base).loss);
            for (int s = 0; s < base.initial.length; s++) {
                numeric("initial state " + cell.stateNames().get(s) + dir, base.initial[s], base.dInitial[s],
                        () -> run(cell, kernel, reverse, 6, base).loss);
            }
            for (Parameter p : cell.parameters()) {
                numeric("parameter " + p.name() + dir, p.value(), base.paramGrads.get(p.name()),
                        () -> run(cell, kernel, reverse, 6, base).loss);
            }
        }
    }

    /**
     * A backward pass called with a mis-shaped gradient, or too few state gradients, throws
     * {@link IllegalArgumentException} naming the argument before it changes anything (as
     * {@link SequenceArguments#checkBackward} does): called again correctly, the same pass gives
     * bit for bit what a pass without the mistakes gives.
     */
    public void checkBackwardArguments() {
        RecurrentCell plain = create(4);
        Run want = run(plain, plain.sequenceKernel(), false, 9);
        RecurrentCell cell = create(4);
        int states = cell.stateNames().size();
        Run got = run(cell, cell.sequenceKernel(), false, 9, null, (back, r) -> {
            Tensor[] misShaped = r.dInitial.clone();
            misShaped[states - 1] = Tensor.zeros(B, hiddenSize + 1);
            refused("dOutput", () -> back.run(Tensor.zeros(B, T + 1, hiddenSize), r.finalProbes, r.dInput,
                    r.dInitial));
            refused("dFinalState", () -> back.run(r.outputProbe, Arrays.copyOf(r.finalProbes, states - 1),
                    r.dInput, r.dInitial));
            refused("dInput", () -> back.run(r.outputProbe, r.finalProbes, Tensor.zeros(B, T, inputSize + 1),
                    r.dInitial));
            refused("dInitialState", () -> back.run(r.outputProbe, r.finalProbes, r.dInput, misShaped));
        });
        close("input gradient after refused calls", want.dInput, got.dInput, 0);
        for (int s = 0; s < states; s++) {
            close("initial-state gradient " + cell.stateNames().get(s) + " after refused calls", want.dInitial[s],
                    got.dInitial[s], 0);
        }
        for (String name : want.paramGrads.keySet()) {
            close("gradient of " + name + " after refused calls", want.paramGrads.get(name), got.paramGrads.get(name), 0);
        }
    }

    private static void refused(String argument, Runnable call) {
        try {
            call.run();
        } catch (IllegalArgumentException e) {
            require(e.getMessage() != null && e.getMessage().contains(argument),
                    "the error for a mis-shaped " + argument + " must name it, got: " + e.getMessage());
            return;
        }
        throw new AssertionError("a backward pass given a mis-shaped " + argument
                + " must throw IllegalArgumentException naming it; it was accepted");
    }

    /** Which initial-state gradients a backward pass is asked for. */
    private enum Receive { ALL, NULL_ARRAY, NULL_ENTRIES }

    /**
     * The nulls {@link SequenceKernel} allows, which the layers pass, mean what it says: no lengths
     * is every sequence full; a null initial state, or a null entry, is zeros; a null output
     * gradient, final-state gradient array or entry is zeros; a null input gradient or
     * initial-state gradient (array or entry) is skipped and leaves every other gradient as it is.
     */
    public void checkOptionalArguments() {
        for (boolean reverse : new boolean[] {false, true}) {
            String dir = reverse ? " (reverse)" : "";
            RecurrentCell cell = create(6);
            SequenceKernel kernel = cell.sequenceKernel();
            int states = cell.stateNames().size();
            SplittableRandom rng = new SplittableRandom(13);
            Tensor input = random(rng, B, T, inputSize);
            Tensor outputProbe = random(rng, B, T, hiddenSize);
            Tensor[] finalProbes = new Tensor[states];
            Tensor[] zeros = new Tensor[states];
            for (int s = 0; s < states; s++) {
                finalProbes[s] = random(rng, B, hiddenSize);
                zeros[s] = Tensor.zeros(B, hiddenSize);
            }
            int[] full = new int[B];
            Arrays.fill(full, T);
            Pass want = pass("every argument given" + dir, cell, kernel, input, full, reverse, zeros, outputProbe,
                    finalProbes, true, Receive.ALL);
            same("lengths = null (every sequence full)" + dir, want, cell, kernel, input, null, reverse, zeros,
                    outputProbe, finalProbes, true, Receive.ALL);
            same("initialState = null (zeros)" + dir, want, cell, kernel, input, full, reverse, null,
                    outputProbe, finalProbes, true, Receive.ALL);
            same("null initial-state entries (zeros)" + dir, want, cell, kernel, input, full, reverse, new Tensor[states],
                    outputProbe, finalProbes, true, Receive.ALL);
            Pass finalsOnly = pass("dOutput zeros" + dir, cell, kernel, input, full, reverse, zeros,
                    Tensor.zeros(B, T, hiddenSize), finalProbes, true, Receive.ALL);
            same("dOutput = null (zeros)" + dir, finalsOnly, cell, kernel, input, full, reverse, zeros,
                    null, finalProbes, true, Receive.ALL);
            Pass outputOnly = pass("dFinalState zeros" + dir, cell, kernel, input, full, reverse, zeros, outputProbe,
                    zeros, true, Receive.ALL);
            same("dFinalState = null (zeros)" + dir, outputOnly, cell, kernel, input, full, reverse, zeros,
                    outputProbe, null, true, Receive.ALL);
            same("null dFinalState entries (zeros)" + dir, outputOnly, cell, kernel, input, full, reverse, zeros,
                    outputProbe, new Tensor[states], true, Receive.ALL);
            same("dInput = null (skipped)" + dir, want, cell, kernel, input, full, reverse, zeros,
                    outputProbe, finalProbes, false, Receive.ALL);
            same("dInitialState = null (skipped)" + dir, want, cell, kernel, input, full, reverse, zeros,
                    outputProbe, finalProbes, true, Receive.NULL_ARRAY);
            same("null dInitialState entries (skipped)" + dir, want, cell, kernel, input, full, reverse, zeros,
                    outputProbe, finalProbes, true, Receive.NULL_ENTRIES);
        }
    }

    /**
     * A forward pass with {@code training = false} returns no backward pass and computes the
     * outputs and final states of a training pass, to 1e-5 relative (an inference path may sum in
     * another order), with zeros at padded steps.
     */
    public void checkInference() {
        for (boolean reverse : new boolean[] {false, true}) {
            String dir = reverse ? " (reverse)" : "";
            RecurrentCell cell = create(5);
            SequenceKernel kernel = cell.sequenceKernel();
            Run training = run(cell, kernel, reverse, 10);
            Tensor output = Tensor.full(Float.NaN, B, T, hiddenSize);
            Tensor[] finals = new Tensor[training.finals.length];
            for (int s = 0; s < finals.length; s++) {
                finals[s] = Tensor.full(Float.NaN, B, hiddenSize);
            }
            SequenceKernel.Backward back;
            try {
                back = kernel.forward(training.input, LENGTHS, reverse, training.initial, output, finals, false);
            } catch (RuntimeException e) {
                throw new AssertionError("forward(..., training = false) threw " + e + dir, e);
            }
            require(back == null, "forward(..., training = false) must return null: nothing is kept for a backward pass" + dir);
            close("inference output" + dir, training.output, output, 1e-5);
            for (int s = 0; s < finals.length; s++) {
                close("inference final state " + cell.stateNames().get(s) + dir, training.finals[s], finals[s], 1e-5);
            }
        }
    }

    /**
     * {@link RecurrentCell#stepKernel}, fed the steps of a batch one at a time, gives after each
     * step the output the sequence kernel gives at that step, and ends in its final state, to 1e-5
     * relative; it refuses a batch below 1.
     */
    public void checkStepKernel() {
        RecurrentCell cell = create(7);
        int states = cell.stateNames().size();
        SplittableRandom rng = new SplittableRandom(14);
        Tensor input = random(rng, B, T, inputSize);
        Tensor[] initial = new Tensor[states];
        Tensor[] finals = new Tensor[states];
        Tensor[] state = new Tensor[states];
        for (int s = 0; s < states; s++) {
            initial[s] = random(rng, B, hiddenSize);
            finals[s] = Tensor.full(Float.NaN, B, hiddenSize);
            state[s] = initial[s].copy();
        }
        Tensor output = Tensor.full(Float.NaN, B, T, hiddenSize);
        cell.sequenceKernel().forward(input, null, false, initial, output, finals, false);
        try {
            cell.stepKernel(0);
            throw new AssertionError("stepKernel(0) must throw IllegalArgumentException; it was accepted");
        } catch (IllegalArgumentException expected) {
            // the documented refusal
        }
        StepKernel kernel = cell.stepKernel(B);
        Tensor x = Tensor.zeros(B, inputSize);
        Tensor want = Tensor.zeros(B, hiddenSize);
        for (int t = 0; t < T; t++) {
            for (int b = 0; b < B; b++) {
                System.arraycopy(input.data(), (b * T + t) * inputSize, x.data(), b * inputSize, inputSize);
                System.arraycopy(output.data(), (b * T + t) * hiddenSize, want.data(), b * hiddenSize, hiddenSize);
            }
            try {
                kernel.step(x, state);
            } catch (RuntimeException e) {
                throw new AssertionError("the step kernel threw " + e + " at step " + t, e);
            }
            close("streamed state h after step " + t, want, state[0], 1e-5);
        }
        for (int s = 0; s < states; s++) {
            close("streamed final state " + cell.stateNames().get(s), finals[s], state[s], 1e-5);
        }
    }

    /** What one forward and backward pass of {@link #checkOptionalArguments} produced; null where not asked for. */
    private record Pass(Tensor output, Tensor[] finals, Tensor dInput, Tensor[] dInitial, Map<String, Tensor> paramGrads) { }

    /** One forward and backward pass with the given arguments; a kernel that throws fails the check, naming them. */
    private Pass pass(String convention, RecurrentCell cell, SequenceKernel kernel, Tensor input, int[] lengths,
                      boolean reverse, Tensor[] initial, Tensor dOutput, Tensor[] dFinal, boolean wantInput,
                      Receive receive) {
        try {
            return pass(cell, kernel, input, lengths, reverse, initial, dOutput, dFinal, wantInput, receive);
        } catch (RuntimeException e) {
            throw new AssertionError("a forward and backward pass with " + convention + " threw " + e, e);
        }
    }

    private Pass pass(RecurrentCell cell, SequenceKernel kernel, Tensor input, int[] lengths, boolean reverse,
                      Tensor[] initial, Tensor dOutput, Tensor[] dFinal, boolean wantInput, Receive receive) {
        int states = cell.stateNames().size();
        Tensor output = Tensor.full(Float.NaN, B, T, hiddenSize);
        Tensor[] finals = new Tensor[states];
        Tensor[] dInitial = new Tensor[states];
        for (int s = 0; s < states; s++) {
            finals[s] = Tensor.full(Float.NaN, B, hiddenSize);
            dInitial[s] = receive == Receive.ALL ? Tensor.zeros(B, hiddenSize) : null;
        }
        cell.parameters().forEach(p -> p.grad().fill(0f));
        SequenceKernel.Backward back = kernel.forward(input, lengths, reverse, initial, output, finals, true);
        Tensor dInput = wantInput ? Tensor.zeros(B, T, inputSize) : null;
        back.run(dOutput, dFinal, dInput, receive == Receive.NULL_ARRAY ? null : dInitial);
        Map<String, Tensor> grads = new LinkedHashMap<>();
        cell.parameters().forEach(p -> grads.put(p.name(), p.grad().copy()));
        return new Pass(output, finals, dInput, dInitial, grads);
    }

    /**
     * A pass with the arguments of {@code convention} equals {@code want} (to 1e-6 relative)
     * wherever both hold a value.
     */
    private void same(String convention, Pass want, RecurrentCell cell, SequenceKernel kernel, Tensor input,
                      int[] lengths, boolean reverse, Tensor[] initial, Tensor dOutput, Tensor[] dFinal,
                      boolean wantInput, Receive receive) {
        Pass got = pass(convention, cell, kernel, input, lengths, reverse, initial, dOutput, dFinal, wantInput, receive);
        String with = " with " + convention;
        close("output" + with, want.output, got.output, 1e-6);
        for (int s = 0; s < want.finals.length; s++) {
            close("final state " + s + with, want.finals[s], got.finals[s], 1e-6);
            if (want.dInitial[s] != null && got.dInitial[s] != null) {
                close("initial-state gradient " + s + with, want.dInitial[s], got.dInitial[s], 1e-6);
            }
        }
        if (want.dInput != null && got.dInput != null) {
            close("input gradient" + with, want.dInput, got.dInput, 1e-6);
        }
        for (String name : want.paramGrads.keySet()) {
            close("gradient of " + name + with, want.paramGrads.get(name), got.paramGrads.get(name), 1e-6);
        }
    }

    /** Equal seeds give bit-identical parameters and outputs; another seed gives other parameters. */
    public void checkDeterminism() {
        RecurrentCell a = create(11);
        RecurrentCell b = create(11);
        RecurrentCell c = create(12);
        boolean anyDiffers = false;
        for (int i = 0; i < a.parameters().size(); i++) {
            Tensor pa = a.parameters().get(i).value();
            require(pa.equals(b.parameters().get(i).value()),
                    "parameter " + a.parameters().get(i).name() + " differs between two cells with one seed");
            anyDiffers |= !pa.equals(c.parameters().get(i).value());
        }
        require(anyDiffers, "cells with seeds 11 and 12 have identical parameters: the seed is ignored");
        Run ra = run(a, a.sequenceKernel(), false, 7);
        Run rb = run(b, b.sequenceKernel(), false, 7);
        require(ra.output.equals(rb.output), "two runs of equal cells on equal inputs give different outputs");
    }

    /** Parameters written as safetensors and read into a cell made with another seed reproduce the outputs. */
    public void checkSaveLoad() {
        RecurrentCell original = create(21);
        RecurrentCell other = create(22);
        try {
            Path dir = Files.createTempDirectory("rnn4j-conformance");
            Path file = dir.resolve("cell.safetensors");
            try {
                Map<String, Tensor> dict = new LinkedHashMap<>();
                original.parameters().forEach(p -> dict.put(p.name(), p.value()));
                SafeTensors.write(file, dict, Map.of());
                Map<String, Tensor> back = SafeTensors.read(file).tensors();
                for (Parameter p : other.parameters()) {
                    Tensor t = back.get(p.name());
                    require(t != null, "saved file lacks parameter " + p.name());
                    p.value().copyFrom(t);
                }
            } finally {
                Files.deleteIfExists(file);
                Files.deleteIfExists(dir);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        require(run(original, original.sequenceKernel(), false, 8).output
                        .equals(run(other, other.sequenceKernel(), false, 8).output),
                "a cell loaded from saved parameters computes other outputs than the original");
    }

    private RecurrentCell create(long seed) {
        return provider.create(new CellSpec(inputSize, hiddenSize, options, seed));
    }

    /** Inputs, upstream probes, and what one forward and backward produced. */
    private static final class Run {
        Tensor input;
        Tensor[] initial;
        Tensor outputProbe;
        Tensor[] finalProbes;
        Tensor output;
        Tensor[] finals;
        Tensor dInput;
        Tensor[] dInitial;
        Map<String, Tensor> paramGrads = new LinkedHashMap<>();
        double loss;
    }

    private Run run(RecurrentCell cell, SequenceKernel kernel, boolean reverse, long dataSeed) {
        return run(cell, kernel, reverse, dataSeed, null);
    }

    private Run run(RecurrentCell cell, SequenceKernel kernel, boolean reverse, long dataSeed, Run reuse) {
        return run(cell, kernel, reverse, dataSeed, reuse, null);
    }

    /**
     * One forward and backward with seeded data (or the data of {@code reuse}); {@code mistakes},
     * when not null, makes refused calls of the backward pass before the correct one.
     */
    private Run run(RecurrentCell cell, SequenceKernel kernel, boolean reverse, long dataSeed, Run reuse,
                    java.util.function.BiConsumer<SequenceKernel.Backward, Run> mistakes) {
        return run(cell, kernel, reverse, dataSeed, reuse, mistakes, false);
    }

    /**
     * As above; {@code prefilled} runs the backward pass into buffers holding {@link #PREFILL_PARAMETER},
     * {@link #PREFILL_INPUT} and {@link #PREFILL_INITIAL} instead of zeros.
     */
    private Run run(RecurrentCell cell, SequenceKernel kernel, boolean reverse, long dataSeed, Run reuse,
                    java.util.function.BiConsumer<SequenceKernel.Backward, Run> mistakes, boolean prefilled) {
        int states = cell.stateNames().size();
        Run r = new Run();
        SplittableRandom rng = new SplittableRandom(dataSeed);
        r.input = reuse != null ? reuse.input : random(rng, B, T, inputSize);
        r.initial = reuse != null ? reuse.initial : new Tensor[states];
        r.finalProbes = reuse != null ? reuse.finalProbes : new Tensor[states];
        if (reuse == null) {
            for (int s = 0; s < states; s++) {
                r.initial[s] = random(rng, B, hiddenSize);
                r.finalProbes[s] = random(rng, B, hiddenSize);
            }
            r.outputProbe = random(rng, B, T, hiddenSize);
        } else {
            r.outputProbe = reuse.outputProbe;
        }
        // NaN where the kernel must write: a kernel that skips the zeros of padded steps, or a
        // final state, leaves NaN behind, which every comparison catches.
        r.output = Tensor.full(Float.NaN, B, T, hiddenSize);
        r.finals = new Tensor[states];
        for (int s = 0; s < states; s++) {
            r.finals[s] = Tensor.full(Float.NaN, B, hiddenSize);
        }
        List<Parameter> params = cell.parameters();
        params.forEach(p -> p.grad().fill(prefilled ? PREFILL_PARAMETER : 0f));
        SequenceKernel.Backward back = kernel.forward(r.input, LENGTHS, reverse, r.initial, r.output, r.finals, true);
        require(back != null, "forward(..., training = true) returned no backward pass");
        double loss = dot(r.output, r.outputProbe);
        for (int s = 0; s < states; s++) {
            loss += dot(r.finals[s], r.finalProbes[s]);
        }
        r.loss = loss;
        r.dInput = Tensor.full(prefilled ? PREFILL_INPUT : 0f, B, T, inputSize);
        r.dInitial = new Tensor[states];
        for (int s = 0; s < states; s++) {
            r.dInitial[s] = Tensor.full(prefilled ? PREFILL_INITIAL : 0f, B, hiddenSize);
        }
        if (mistakes == null) {
            back.run(r.outputProbe, r.finalProbes, r.dInput, r.dInitial);
        } else {
            mistakes.accept(back, r);
            try {
                back.run(r.outputProbe, r.finalProbes, r.dInput, r.dInitial);
            } catch (IllegalStateException e) {
                throw new AssertionError("after refusing mistaken calls, the backward pass refused the correct one ("
                        + e.getMessage() + "): a refused call must change nothing", e);
            }
        }
        for (Parameter p : params) {
            r.paramGrads.put(p.name(), p.grad().copy());
        }
        return r;
    }

    /**
     * Compares each element's analytic gradient with the central difference at step 1e-3. Where the
     * forward and backward one-sided differences disagree, a kink (such as relu's) lies within the
     * step and the loss is not differentiable enough to check there, so the element is skipped; at
     * most a quarter of a tensor may be skipped. Over the checked elements, the difference must also
     * be within 5% of the finite differences' norm (plus 1e-3): the per-element floor alone would
     * pass a gradient of zeros where every true element is below it.
     */
    private static void numeric(String what, Tensor target, Tensor analytic, java.util.function.DoubleSupplier loss) {
        float[] d = target.data();
        float h = 1e-3f;
        double center = loss.getAsDouble();
        int skipped = 0;
        double numericSquares = 0;
        double errorSquares = 0;
        for (int i = 0; i < d.length; i++) {
            float keep = d[i];
            d[i] = keep + h;
            double up = loss.getAsDouble();
            d[i] = keep - h;
            double down = loss.getAsDouble();
            d[i] = keep;
            double forward = (up - center) / h;
            double backward = (center - down) / h;
            double num = (up - down) / (2 * h);
            if (Math.abs(forward - backward) > 1e-2 + 1e-2 * Math.abs(num)) {
                skipped++;
                continue;
            }
            double got = analytic.data()[i];
            if (!(Math.abs(got - num) <= 1e-2 + 1e-2 * Math.abs(num))) {
                throw new AssertionError("gradient of " + what + " at element " + i + " is " + got
                        + ", finite differences give " + num);
            }
            numericSquares += num * num;
            errorSquares += (got - num) * (got - num);
        }
        if (!(Math.sqrt(errorSquares) <= 0.05 * Math.sqrt(numericSquares) + 1e-3)) {
            throw new AssertionError(String.format(java.util.Locale.ROOT, "gradient of %s is off by %.3g in norm,"
                    + " against a norm of %.3g from finite differences", what, Math.sqrt(errorSquares), Math.sqrt(numericSquares)));
        }
        if (skipped * 4 > d.length) {
            throw new AssertionError("gradient of " + what + ": the loss has kinks at " + skipped + " of "
                    + d.length + " elements; too few are smooth enough to check");
        }
    }

    private static Tensor random(SplittableRandom rng, int... shape) {
        Tensor t = Tensor.zeros(shape);
        for (int i = 0; i < t.size(); i++) {
            t.data()[i] = (float) rng.nextDouble(-1, 1);
        }
        return t;
    }

    private static double dot(Tensor a, Tensor b) {
        double s = 0;
        for (int i = 0; i < a.size(); i++) {
            s += (double) a.data()[i] * b.data()[i];
        }
        return s;
    }

    private static void close(String what, Tensor want, Tensor got, double tol) {
        if (!Arrays.equals(want.shape(), got.shape())) {
            throw new AssertionError(what + ": shape " + Arrays.toString(got.shape()) + ", expected "
                    + Arrays.toString(want.shape()));
        }
        for (int i = 0; i < want.size(); i++) {
            double w = want.data()[i];
            double g = got.data()[i];
            if (!(Math.abs(g - w) <= tol + tol * Math.abs(w))) {
                throw new AssertionError(what + ": element " + i + " is " + g + ", expected " + w);
            }
        }
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new AssertionError(message);
        }
    }
}
