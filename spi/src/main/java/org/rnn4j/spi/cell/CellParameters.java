package org.rnn4j.spi.cell;

import org.rnn4j.core.autograd.Var;

/** The parameters of a cell as values on the current tape, looked up by the cell's own names. */
@FunctionalInterface
public interface CellParameters {

    /**
     * The tape value of the parameter named {@code name} (as in {@link RecurrentCell#parameters()}).
     *
     * @throws IllegalArgumentException when the cell has no parameter of that name
     */
    Var get(String name);
}
