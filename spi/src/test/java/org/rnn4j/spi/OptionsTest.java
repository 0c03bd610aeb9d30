package org.rnn4j.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Options read numbers in plain decimal notation only, and name the option and value they refuse. */
class OptionsTest {

    @Test
    void numbersInPlainNotationAreRead() {
        Options o = Options.of("a", "0.25", "b", "-3", "c", "1e-3", "d", ".5", "e", " 2 ");
        assertEquals(0.25, o.number("a", 0, -10, 10));
        assertEquals(-3, o.integer("b", 0, -10, 10));
        assertEquals(1e-3, o.number("c", 0, 0, 1));
        assertEquals(0.5, o.number("d", 0, 0, 1));
        assertEquals(2, o.integer("e", 0, 0, 10));
    }

    @Test
    void javaLiteralsAndOtherScriptsDigitsAreRefused() {
        for (String v : new String[] {"0.1f", "1d", "0x1p-3", "+1", "1_000"}) {
            var e = assertThrows(IllegalArgumentException.class, () -> Options.of("rate", v).number("rate", 0, -10, 10), v);
            assertEquals("option rate must be a number, given '" + v + "'", e.getMessage());
        }
        for (String v : new String[] {"+4", "\uFF14", "\u0664", "4.0"}) {
            var e = assertThrows(IllegalArgumentException.class, () -> Options.of("k1", v).integer("k1", 1, 1, 99), v);
            assertEquals("option k1 must be a whole number, given '" + v + "'", e.getMessage());
        }
        var infinite = assertThrows(IllegalArgumentException.class,
                () -> Options.of("rate", "Infinity").number("rate", 0, 0, 1));
        assertEquals("option rate must be a finite number, given 'Infinity'", infinite.getMessage());
    }
}
