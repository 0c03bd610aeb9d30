package org.rnn4j.models;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.rnn4j.core.Parameter;
import org.rnn4j.core.Tensor;
import org.rnn4j.core.kernel.Kernels;
import org.rnn4j.nn.Dense;
import org.rnn4j.nn.Recurrent;
import org.rnn4j.nn.RecurrentOutput;

/** Makes the decoder's initial state from the encoder's final states as a {@link Bridge} mode says. */
final class BridgeLayer {

    private final Bridge mode;
    private final int encoderLayers;
    private final int directions;
    private final int encoderHidden;
    private final int decoderLayers;
    private final int decoderHidden;
    private final List<String> decoderStates;
    /** Per decoder state, the same state's index in the encoder, or -1 when the encoder lacks it. */
    private final int[] sourceState;
    /** {@code [Ldec][states]} projections for {@link Bridge#PROJECT}; null entries for unbridged states. */
    private final Dense[][] projections;
    private final List<Parameter> parameters = new ArrayList<>();
    private final Kernels k = Kernels.get();

    /**
     * @param mode the mode asked for, or null for the default ({@link Bridge#COPY} where it fits, else {@link Bridge#PROJECT})
     * @throws IllegalArgumentException when the mode does not fit the encoder and decoder, saying why
     */
    BridgeLayer(Bridge mode, Recurrent encoder, Recurrent decoder, long seed) {
        this.encoderLayers = encoder.layers();
        this.directions = encoder.directions();
        this.encoderHidden = encoder.hiddenSize();
        this.decoderLayers = decoder.layers();
        this.decoderHidden = decoder.hiddenSize();
        this.decoderStates = decoder.stateNames();
        boolean copyFits = directions == 1 && encoderHidden == decoderHidden;
        this.mode = mode != null ? mode : copyFits ? Bridge.COPY : Bridge.PROJECT;
        if (this.mode != Bridge.ZEROS && encoderLayers < decoderLayers) {
            throw new IllegalArgumentException("Seq2Seq: bridge " + this.mode + " maps decoder layer l to encoder layer"
                    + " l + Lenc - Ldec, so it needs at least as many encoder layers as decoder layers (" + decoderLayers
                    + "), given " + encoderLayers + "; use Bridge.ZEROS or a deeper encoder");
        }
        if (this.mode == Bridge.COPY && !copyFits) {
            throw new IllegalArgumentException("Seq2Seq: bridge COPY needs a unidirectional encoder of the decoder's hidden"
                    + " size " + decoderHidden + ", given " + (directions == 2 ? "a bidirectional" : "a unidirectional")
                    + " encoder of hidden size " + encoderHidden + "; use Bridge.PROJECT");
        }
        this.sourceState = new int[decoderStates.size()];
        for (int s = 0; s < sourceState.length; s++) {
            sourceState[s] = this.mode == Bridge.ZEROS ? -1 : encoder.stateNames().indexOf(decoderStates.get(s));
        }
        this.projections = new Dense[decoderLayers][decoderStates.size()];
        if (this.mode == Bridge.PROJECT) {
            SplittableRandom seeds = new SplittableRandom(seed);
            for (int l = 0; l < decoderLayers; l++) {
                for (int s = 0; s < sourceState.length; s++) {
                    if (sourceState[s] >= 0) {
                        Dense d = new Dense(directions * encoderHidden, decoderHidden, seeds.nextLong());
                        projections[l][s] = d;
                        for (Parameter p : d.parameters()) {
                            parameters.add(p.renamed("bridge." + decoderStates.get(s) + "_l" + l + "." + p.name()));
                        }
                    }
                }
            }
        }
    }

    /** The mode in use. */
    Bridge mode() {
        return mode;
    }

    /** The projections' parameters (none unless {@link Bridge#PROJECT}). */
    List<Parameter> parameters() {
        return parameters;
    }

    /** One application to a batch, with its backward pass. */
    final class Run {
        private final int b;
        private final Tensor[][] initial;
        private final Dense.Output[][] projected;

        private Run(int b, Tensor[][] initial, Dense.Output[][] projected) {
            this.b = b;
            this.initial = initial;
            this.projected = projected;
        }

        /** The decoder's initial state {@code [Ldec][states]}, each {@code [B, Hdec]}. */
        Tensor[][] initial() {
            return initial;
        }

        /**
         * Turns the gradient of the initial state into gradients of the encoder's final states
         * ({@code [Lenc*D, B, Henc]} by state name), accumulating the projections' parameter gradients.
         */
        Map<String, Tensor> backward(Tensor[][] dInitial) {
            Map<String, Tensor> dFinal = new LinkedHashMap<>();
            if (mode == Bridge.ZEROS) {
                return dFinal;
            }
            int size = b * encoderHidden;
            for (int l = 0; l < decoderLayers; l++) {
                int slot0 = (l + encoderLayers - decoderLayers) * directions;
                for (int s = 0; s < decoderStates.size(); s++) {
                    if (sourceState[s] < 0) {
                        continue;
                    }
                    Tensor all = dFinal.computeIfAbsent(decoderStates.get(s),
                            name -> Tensor.zeros(encoderLayers * directions, b, encoderHidden));
                    Tensor d = dInitial[l][s];
                    if (mode == Bridge.PROJECT) {
                        Tensor pre = Tensor.zeros(b, decoderHidden);
                        k.tanhBackward(pre.size(), initial[l][s].data(), 0, d.data(), 0, pre.data(), 0);
                        d = projected[l][s].backward(pre);
                    }
                    // d is [B, D*Henc]: direction dir of row r goes to slot slot0 + dir.
                    for (int r = 0; r < b; r++) {
                        for (int dir = 0; dir < directions; dir++) {
                            k.axpy(encoderHidden, 1f, d.data(), (r * directions + dir) * encoderHidden,
                                    all.data(), (slot0 + dir) * size + r * encoderHidden);
                        }
                    }
                }
            }
            return dFinal;
        }
    }

    /** Bridges the final states of {@code encoded}, a run on {@code b} sequences. */
    Run forward(RecurrentOutput encoded, int b) {
        Tensor[][] initial = new Tensor[decoderLayers][decoderStates.size()];
        Dense.Output[][] projected = new Dense.Output[decoderLayers][decoderStates.size()];
        int size = b * encoderHidden;
        for (int s = 0; s < decoderStates.size(); s++) {
            Tensor fin = sourceState[s] < 0 ? null : encoded.finalState(decoderStates.get(s));
            for (int l = 0; l < decoderLayers; l++) {
                if (fin == null) {
                    initial[l][s] = Tensor.zeros(b, decoderHidden);
                    continue;
                }
                int slot0 = (l + encoderLayers - decoderLayers) * directions;
                // Row r: [forward state; reverse state] of encoder layer l + Lenc - Ldec.
                Tensor x = Tensor.zeros(b, directions * encoderHidden);
                for (int r = 0; r < b; r++) {
                    for (int dir = 0; dir < directions; dir++) {
                        System.arraycopy(fin.data(), (slot0 + dir) * size + r * encoderHidden, x.data(),
                                (r * directions + dir) * encoderHidden, encoderHidden);
                    }
                }
                if (mode == Bridge.PROJECT) {
                    projected[l][s] = projections[l][s].forward(x);
                    Tensor y = projected[l][s].value().copy();
                    k.tanh(y.size(), y.data(), 0, y.data(), 0);
                    initial[l][s] = y;
                } else {
                    initial[l][s] = x;
                }
            }
        }
        return new Run(b, initial, projected);
    }
}
