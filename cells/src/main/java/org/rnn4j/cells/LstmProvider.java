package org.rnn4j.cells;

import org.rnn4j.spi.Plugin;
import org.rnn4j.spi.cell.CellProvider;
import org.rnn4j.spi.cell.CellSpec;
import org.rnn4j.spi.cell.RecurrentCell;

/** Provides the built-in {@code lstm} cell. */
@Plugin(name = "lstm", description = "Long short-term memory (PyTorch gate order i, f, g, o); options init, forget_bias")
public final class LstmProvider implements CellProvider {

    /** Called by {@link java.util.ServiceLoader}. */
    public LstmProvider() {
    }

    @Override
    public RecurrentCell create(CellSpec spec) {
        return new LstmCell(spec);
    }
}
