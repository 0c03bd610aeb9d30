package org.rnn4j.tests.cells;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.rnn4j.spi.Options;
import org.rnn4j.spi.Registries;
import org.rnn4j.spi.cell.CellConformance;

/** Every built-in cell passes the conformance kit that plugin authors run. */
class BuiltInCellConformanceTest {

    static Stream<Arguments> cells() {
        return Stream.of(
                Arguments.of("lstm", Options.empty()),
                Arguments.of("lstm", Options.of("init", "pytorch")),
                Arguments.of("gru", Options.empty()),
                Arguments.of("rnn", Options.empty()),
                Arguments.of("rnn", Options.of("nonlinearity", "relu")),
                Arguments.of("rnn", Options.of("nonlinearity", "relu", "init", "irnn")));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cells")
    void passesTheKit(String name, Options options) {
        CellConformance.of(Registries.cells().get(name), options).checkAll();
    }
}
