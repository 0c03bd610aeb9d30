package org.rnn4j.cells;

import org.rnn4j.spi.Plugin;
import org.rnn4j.spi.cell.CellProvider;
import org.rnn4j.spi.cell.CellSpec;
import org.rnn4j.spi.cell.RecurrentCell;

/** Provides the built-in {@code rnn} cell. */
@Plugin(name = "rnn", description = "Vanilla recurrent cell; options nonlinearity (tanh or relu), init (default, pytorch, irnn)")
public final class RnnProvider implements CellProvider {

    /** Called by {@link java.util.ServiceLoader}. */
    public RnnProvider() {
    }

    @Override
    public RecurrentCell create(CellSpec spec) {
        return new RnnCell(spec);
    }
}
