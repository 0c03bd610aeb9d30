package org.rnn4j.examples.mgu;

import org.rnn4j.spi.Plugin;
import org.rnn4j.spi.cell.CellProvider;
import org.rnn4j.spi.cell.CellSpec;
import org.rnn4j.spi.cell.RecurrentCell;

/** Registers the minimal gated unit under the name {@code mgu}. */
@Plugin(name = "mgu", description = "Minimal gated unit (Zhou et al. 2016): one forget gate; no options")
public final class MguProvider implements CellProvider {

    /** Called by {@link java.util.ServiceLoader}. */
    public MguProvider() {
    }

    @Override
    public RecurrentCell create(CellSpec spec) {
        return new MinimalGatedUnit(spec);
    }
}
