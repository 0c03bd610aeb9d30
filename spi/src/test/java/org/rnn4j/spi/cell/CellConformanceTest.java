package org.rnn4j.spi.cell;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.rnn4j.core.Parameter;
import org.rnn4j.core.Shapes;
import org.rnn4j.core.Tensor;
import org.rnn4j.core.autograd.Tape;
import org.rnn4j.core.autograd.Var;
import org.rnn4j.spi.Options;

/** The kit passes a correct tape-only cell and catches broken ones. */
class CellConformanceTest {

    /** {@code h' = tanh(W x + U h + b)}, written only as a step on the tape. */
    static class TapeCell implements RecurrentCell {
        final Parameter w;
        final Parameter u;
        final Parameter b;

        TapeCell(CellSpec spec, long seed) {
            this(spec, seed, true);
        }

        TapeCell(CellSpec spec, long seed, boolean checksOptions) {
            if (checksOptions) {
                spec.options().requireOnly("cell 'tape'", Set.of());
            }
            w = Parameter.zeros("w", spec.hiddenSize(), spec.inputSize());
            u = Parameter.zeros("u", spec.hiddenSize(), spec.hiddenSize());
            b = Parameter.zeros("b", spec.hiddenSize());
            SplittableRandom rng = new SplittableRandom(seed);
            Init.uniform(w.value(), 0.8, rng);
            Init.uniform(u.value(), 0.8, rng);
            Init.uniform(b.value(), 0.2, rng);
        }

        @Override
        public int inputSize() {
            return w.value().dim(1);
        }

        @Override
        public int hiddenSize() {
            return w.value().dim(0);
        }

        @Override
        public List<String> stateNames() {
            return List.of("h");
        }

        @Override
        public List<Parameter> parameters() {
            return List.of(w, u, b);
        }

        @Override
        public Var[] step(Tape tape, CellParameters p, Var x, Var[] state) {
            return new Var[] {tape.tanh(tape.add(tape.linear(x, p.get("w"), p.get("b")), tape.linear(state[0], p.get("u"), null)))};
        }
    }

    /** Its hand-written kernel gets the input gradient 10% wrong. */
    static final class WrongGradientCell extends TapeCell {
        WrongGradientCell(CellSpec spec) {
            super(spec, spec.seed());
        }

        @Override
        public SequenceKernel sequenceKernel() {
            SequenceKernel inner = new AutogradSequenceKernel(this);
            return (input, lengths, reverse, init, output, fin, training) -> {
                SequenceKernel.Backward back = inner.forward(input, lengths, reverse, init, output, fin, training);
                return (dOut, dFin, dIn, dInit) -> {
                    Tensor mine = Tensor.zeros(dIn.shape());
                    back.run(dOut, dFin, mine, dInit);
                    for (int i = 0; i < mine.size(); i++) {
                        dIn.data()[i] += 1.1f * mine.data()[i];
                    }
                };
            };
        }
    }

    @Test
    void aCorrectTapeCellPasses() {
        CellConformance.of(spec -> new TapeCell(spec, spec.seed()), Options.empty()).checkAll();
    }

    @Test
    void aWrongHandWrittenGradientIsCaught() {
        CellConformance kit = CellConformance.of(WrongGradientCell::new, Options.empty());
        AssertionError e = assertThrows(AssertionError.class, kit::checkKernelMatchesStep);
        assertTrue(e.getMessage().startsWith("input gradient"), e.getMessage());
        AssertionError fd = assertThrows(AssertionError.class, kit::checkGradients);
        assertTrue(fd.getMessage().startsWith("gradient of input"), fd.getMessage());
    }

    @Test
    void anIgnoredSeedIsCaught() {
        CellConformance kit = CellConformance.of(spec -> new TapeCell(spec, 5), Options.empty());
        AssertionError e = assertThrows(AssertionError.class, kit::checkDeterminism);
        assertTrue(e.getMessage().contains("the seed is ignored"), e.getMessage());
    }

    @Test
    void anIgnoredUnknownOptionIsCaught() {
        CellConformance kit = CellConformance.of(spec -> new TapeCell(spec, spec.seed(), false), Options.empty());
        AssertionError e = assertThrows(AssertionError.class, kit::checkContract);
        assertTrue(e.getMessage().contains("unknown option 'conformance_unknown_option'"), e.getMessage());
    }

    /** Tape cells whose sequence kernel is {@code wrap} applied to the tape's own kernel. */
    private static CellProvider withKernel(java.util.function.UnaryOperator<SequenceKernel> wrap) {
        return spec -> new TapeCell(spec, spec.seed()) {
            @Override
            public SequenceKernel sequenceKernel() {
                return wrap.apply(new AutogradSequenceKernel(this));
            }
        };
    }

    @Test
    void aBackwardPassThatOverwritesInsteadOfAddingIsCaught() {
        // Right gradients, written over what the buffers held: lost when gradients should sum.
        CellConformance overwritesInput = CellConformance.of(withKernel(inner -> (input, lengths, reverse, init, output,
                                                                                  fin, training) -> {
            SequenceKernel.Backward back = inner.forward(input, lengths, reverse, init, output, fin, training);
            return (dOut, dFin, dIn, dInit) -> {
                Tensor mine = Tensor.zeros(input.shape());
                back.run(dOut, dFin, mine, dInit);
                dIn.copyFrom(mine);
            };
        }), Options.empty());
        AssertionError overwritten = assertThrows(AssertionError.class, overwritesInput::checkGradientsAccumulate);
        assertTrue(overwritten.getMessage().startsWith("input gradient added to 0.5"), overwritten.getMessage());

        CellConformance addsInitial = CellConformance.of(withKernel(inner -> (input, lengths, reverse, init, output,
                                                                              fin, training) -> {
            SequenceKernel.Backward back = inner.forward(input, lengths, reverse, init, output, fin, training);
            return (dOut, dFin, dIn, dInit) -> {
                float[][] before = new float[dInit.length][];
                for (int s = 0; s < dInit.length; s++) {
                    before[s] = dInit[s].data().clone();
                }
                back.run(dOut, dFin, dIn, dInit);
                for (int s = 0; s < dInit.length; s++) {
                    for (int i = 0; i < before[s].length; i++) {
                        dInit[s].data()[i] += before[s][i];
                    }
                }
            };
        }), Options.empty());
        AssertionError added = assertThrows(AssertionError.class, addsInitial::checkGradientsAccumulate);
        assertTrue(added.getMessage().startsWith("initial-state gradient h, which must overwrite 1000"),
                added.getMessage());
        CellConformance.of(spec -> new TapeCell(spec, spec.seed()), Options.empty()).checkGradientsAccumulate();
    }

    @Test
    void aBackwardPassThatChecksItsInputGradientLateIsCaught() {
        // The parameter gradients accumulate before dInput's shape is checked: the refused call
        // has already spent the pass, so the correct call after it fails.
        CellConformance kit = CellConformance.of(withKernel(inner -> (input, lengths, reverse, init, output, fin, training) -> {
            SequenceKernel.Backward back = inner.forward(input, lengths, reverse, init, output, fin, training);
            return (dOut, dFin, dIn, dInit) -> {
                Tensor mine = Tensor.zeros(input.shape());
                back.run(dOut, dFin, mine, dInit);
                Shapes.require("late backward", "dInput", dIn, input.shape());
                dIn.copyFrom(mine);
            };
        }), Options.empty());
        AssertionError e = assertThrows(AssertionError.class, kit::checkBackwardArguments);
        assertTrue(e.getMessage().contains("a refused call must change nothing"), e.getMessage());
    }

    @Test
    void paddedStepsThatLeakOutputAreCaught() {
        // A kernel that ignores lengths: padded steps produce output, unlike the step run on a tape.
        CellConformance kit = CellConformance.of(withKernel(inner -> (input, lengths, reverse, init, output, fin, training) ->
                inner.forward(input, null, reverse, init, output, fin, training)), Options.empty());
        AssertionError e = assertThrows(AssertionError.class, kit::checkKernelMatchesStep);
        assertTrue(e.getMessage().startsWith("output: element "), e.getMessage());
    }

    /**
     * Two states: {@code h' = tanh(W x + U h + b + p)} and {@code p' = h}, the previous hidden
     * state, returned as the very value the step was given.
     */
    static final class PreviousStateCell extends TapeCell {
        PreviousStateCell(CellSpec spec) {
            super(spec, spec.seed());
        }

        @Override
        public List<String> stateNames() {
            return List.of("h", "h_prev");
        }

        @Override
        public Var[] step(Tape tape, CellParameters p, Var x, Var[] state) {
            Var pre = tape.add(tape.linear(x, p.get("w"), p.get("b")), tape.linear(state[0], p.get("u"), null));
            return new Var[] {tape.tanh(tape.add(pre, state[1])), state[0]};
        }
    }

    @Test
    void aCellReturningAStateItWasGivenStreamsRight() {
        // The default step kernel wrote h before reading h_prev' = h from the same tensor: h_prev
        // streamed as the new h.
        CellConformance.of(PreviousStateCell::new, Options.empty()).checkAll();
    }

    @Test
    void aKernelThatCannotTakeTheLayersNullsIsCaught() {
        // Reads every initial state as given: a layer's forward(x) passes null entries.
        CellConformance kit = CellConformance.of(withKernel(inner -> (input, lengths, reverse, init, output, fin, training) -> {
            for (Tensor s : init) {
                s.data();
            }
            return inner.forward(input, lengths, reverse, init, output, fin, training);
        }), Options.empty());
        AssertionError e = assertThrows(AssertionError.class, kit::checkOptionalArguments);
        assertTrue(e.getMessage().startsWith("a forward and backward pass with initialState = null"), e.getMessage());

        // Takes a null output gradient as "no gradient at all", dropping the final states' too.
        CellConformance dropsFinals = CellConformance.of(withKernel(inner -> (input, lengths, reverse, init, output, fin,
                                                                               training) -> {
            SequenceKernel.Backward back = inner.forward(input, lengths, reverse, init, output, fin, training);
            return back == null ? null : (dOut, dFin, dIn, dInit) -> back.run(dOut, dOut == null ? null : dFin, dIn, dInit);
        }), Options.empty());
        AssertionError d = assertThrows(AssertionError.class, dropsFinals::checkOptionalArguments);
        assertTrue(d.getMessage().contains("with dOutput = null (zeros)"), d.getMessage());
    }

    @Test
    void anInferencePathThatComputesSomethingElseIsCaught() {
        CellConformance kit = CellConformance.of(withKernel(inner -> (input, lengths, reverse, init, output, fin, training) -> {
            SequenceKernel.Backward back = inner.forward(input, lengths, reverse, init, output, fin, training);
            if (!training) {
                output.data()[0] += 1e-3f;
            }
            return back;
        }), Options.empty());
        AssertionError e = assertThrows(AssertionError.class, kit::checkInference);
        assertTrue(e.getMessage().startsWith("inference output: element 0"), e.getMessage());
    }

    @Test
    void aStepKernelThatDriftsFromTheSequenceIsCaught() {
        CellConformance kit = CellConformance.of(spec -> new TapeCell(spec, spec.seed()) {
            @Override
            public StepKernel stepKernel(int batch) {
                StepKernel inner = AutogradSequenceKernel.stepKernel(this, batch);
                return (x, state) -> {
                    inner.step(x, state);
                    state[0].data()[1] += 1e-3f;
                };
            }
        }, Options.empty());
        AssertionError e = assertThrows(AssertionError.class, kit::checkStepKernel);
        assertTrue(e.getMessage().startsWith("streamed state h after step 0: element 1"), e.getMessage());
    }

    @Test
    void sizesOtherThanTheDefaultsAreChecked() {
        CellConformance.of(spec -> new TapeCell(spec, spec.seed()), Options.empty(), 5, 5).checkAll();
        assertThrows(IllegalArgumentException.class,
                () -> CellConformance.of(spec -> new TapeCell(spec, spec.seed()), Options.empty(), 0, 4));
    }

    @Test
    void wrongParameterAndInitialStateGradientsAreCaught() {
        // The weight gradient of u is dropped: every element of it is missing.
        CellConformance dropsU = CellConformance.of(spec -> new TapeCell(spec, spec.seed()) {
            @Override
            public SequenceKernel sequenceKernel() {
                SequenceKernel inner = new AutogradSequenceKernel(this);
                return (input, lengths, reverse, init, output, fin, training) -> {
                    SequenceKernel.Backward back = inner.forward(input, lengths, reverse, init, output, fin, training);
                    return back == null ? null : (dOut, dFin, dIn, dInit) -> {
                        Tensor before = u.grad().copy();
                        back.run(dOut, dFin, dIn, dInit);
                        u.grad().copyFrom(before);
                    };
                };
            }
        }, Options.empty());
        AssertionError e = assertThrows(AssertionError.class, dropsU::checkGradients);
        assertTrue(e.getMessage().startsWith("gradient of parameter u"), e.getMessage());

        // The initial-state gradient is halved.
        CellConformance halvesH0 = CellConformance.of(withKernel(inner -> (input, lengths, reverse, init, output, fin,
                                                                            training) -> {
            SequenceKernel.Backward back = inner.forward(input, lengths, reverse, init, output, fin, training);
            return back == null ? null : (dOut, dFin, dIn, dInit) -> {
                back.run(dOut, dFin, dIn, dInit);
                for (Tensor g : dInit) {
                    for (int i = 0; i < g.size(); i++) {
                        g.data()[i] *= 0.5f;
                    }
                }
            };
        }), Options.empty());
        AssertionError h = assertThrows(AssertionError.class, halvesH0::checkGradients);
        assertTrue(h.getMessage().startsWith("gradient of initial state h"), h.getMessage());
    }

    @Test
    void parametersThatDoNotLoadAreCaught() {
        // parameters() hands out copies: loading into them leaves the cell as it was made.
        CellConformance kit = CellConformance.of(spec -> new TapeCell(spec, spec.seed()) {
            @Override
            public List<Parameter> parameters() {
                return super.parameters().stream().map(p -> new Parameter(p.name(), p.value().copy())).toList();
            }
        }, Options.empty());
        AssertionError e = assertThrows(AssertionError.class, kit::checkSaveLoad);
        assertTrue(e.getMessage().contains("computes other outputs than the original"), e.getMessage());
    }

    @Test
    void paddedStepsLeftUnwrittenAreCaught() {
        // Writes only the real steps, trusting the caller's buffer to hold zeros at the padded ones.
        CellConformance kit = CellConformance.of(withKernel(inner -> (input, lengths, reverse, init, output, fin, training) -> {
            Tensor mine = Tensor.zeros(output.shape());
            SequenceKernel.Backward back = inner.forward(input, lengths, reverse, init, mine, fin, training);
            int steps = output.dim(1);
            int hidden = output.dim(2);
            for (int b = 0; b < output.dim(0); b++) {
                int real = lengths == null ? steps : lengths[b];
                System.arraycopy(mine.data(), b * steps * hidden, output.data(), b * steps * hidden, real * hidden);
            }
            return back;
        }), Options.empty());
        AssertionError e = assertThrows(AssertionError.class, kit::checkKernelMatchesStep);
        assertTrue(e.getMessage().startsWith("output: element "), e.getMessage());
    }
}
