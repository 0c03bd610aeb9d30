/**
 * Layers and models built from plugins: recurrent layers over any registered cell (stacked,
 * bidirectional, masked), embeddings, dense heads, and weight files with PyTorch's names.
 */
module org.rnn4j.nn {
    requires transitive org.rnn4j.spi;

    exports org.rnn4j.nn;
}
