/**
 * The built-in recurrent cells {@code rnn}, {@code lstm} and {@code gru}, registered with the rnn4j
 * registry. Nothing is exported: cells are found by name through the registry.
 */
module org.rnn4j.cells {
    requires transitive org.rnn4j.spi;

    provides org.rnn4j.spi.cell.CellProvider with
            org.rnn4j.cells.RnnProvider,
            org.rnn4j.cells.LstmProvider,
            org.rnn4j.cells.GruProvider;
}
