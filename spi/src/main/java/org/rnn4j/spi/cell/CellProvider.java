package org.rnn4j.spi.cell;

/**
 * Creates recurrent cells of one kind. A provider is registered with
 * {@code provides org.rnn4j.spi.cell.CellProvider with ...} in its module descriptor (and a
 * {@code META-INF/services} entry for class-path use), carries {@code @Plugin(name = "...")}, and
 * is cheap to construct: the registry may instantiate it just to create cells.
 */
public interface CellProvider {

    /**
     * A new cell with freshly initialized parameters, seeded by {@code spec.seed()}.
     *
     * @throws IllegalArgumentException when an option is unknown or invalid, naming it
     */
    RecurrentCell create(CellSpec spec);
}
