package org.rnn4j.examples.mgu;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import org.junit.jupiter.api.Test;
import org.rnn4j.spi.Options;
import org.rnn4j.spi.Registries;
import org.rnn4j.spi.cell.CellConformance;
import org.rnn4j.spi.cell.CellProvider;

/**
 * What a plugin author runs in their own module before shipping a cell: the provider is found by
 * name, as users will find it, and passes the conformance kit. (The project's tests module also
 * trains it inside layers and models.)
 */
class MguConformanceTest {

    @Test
    void isFoundByNameAndPassesTheConformanceKit() {
        CellProvider provider = Registries.cells().get("mgu");
        assertInstanceOf(MguProvider.class, provider);
        CellConformance.of(provider, Options.empty()).checkAll();
    }
}
