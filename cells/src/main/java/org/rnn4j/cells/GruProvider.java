package org.rnn4j.cells;

import org.rnn4j.spi.Plugin;
import org.rnn4j.spi.cell.CellProvider;
import org.rnn4j.spi.cell.CellSpec;
import org.rnn4j.spi.cell.RecurrentCell;

/** Provides the built-in {@code gru} cell. */
@Plugin(name = "gru", description = "Gated recurrent unit (PyTorch gate order r, z, n, reset after); option init")
public final class GruProvider implements CellProvider {

    /** Called by {@link java.util.ServiceLoader}. */
    public GruProvider() {
    }

    @Override
    public RecurrentCell create(CellSpec spec) {
        return new GruCell(spec);
    }
}
