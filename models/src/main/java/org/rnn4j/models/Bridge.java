package org.rnn4j.models;

/**
 * How a {@link Seq2Seq} decoder's initial state is made from the encoder's final states. Decoder
 * layer {@code l} starts from encoder layer {@code l + Lenc - Ldec} (the top layers line up), so
 * the encoder needs at least as many layers as the decoder. Each decoder state the encoder also
 * has ({@code h}; {@code c} when both are LSTMs) is bridged; any other starts at zero.
 */
public enum Bridge {

    /** Zero initial state: the decoder learns about the source through attention only. */
    ZEROS,

    /**
     * The encoder's final state as it is: needs a unidirectional encoder whose hidden size is the
     * decoder's. The default where it fits.
     */
    COPY,

    /**
     * A learned projection {@code tanh(W [h_fwd; h_bwd] + b)} of the concatenated final states of
     * both directions, one per decoder layer and state: it lets a bidirectional encoder, or one of
     * another hidden size, start a unidirectional decoder. The default where {@link #COPY} does not
     * fit. The {@code tanh} keeps the initial state in the range a recurrent state lives in.
     */
    PROJECT
}
