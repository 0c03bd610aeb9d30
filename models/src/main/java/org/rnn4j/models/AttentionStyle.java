package org.rnn4j.models;

/** Where a {@link Seq2Seq} decoder attends over the encoder outputs, if at all. */
public enum AttentionStyle {

    /**
     * No attention: the decoder sees the source only through its initial state (Sutskever et al.
     * 2014); the output layer reads the decoder's hidden state.
     */
    NONE,

    /**
     * Attention after the decoder step (Luong et al. 2015): the new hidden state {@code h_t} is the
     * query, and the output layer reads the attentional hidden state
     * {@code h~_t = tanh(W_c [c_t; h_t] + b_c)}. With input feeding (the default) {@code h~_{t-1}}
     * is concatenated to the next decoder input.
     */
    LUONG,

    /**
     * Attention before the decoder step (Bahdanau et al. 2015): the previous hidden state
     * {@code h_{t-1}} (of the top layer) is the query, and the context {@code c_t} is concatenated
     * to the decoder input; the output layer reads the new hidden state.
     */
    BAHDANAU
}
