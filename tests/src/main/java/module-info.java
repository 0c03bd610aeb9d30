/**
 * Test-only module that reads every library module, for the checks that span modules
 * (boundaries, golden files, learning tests). Ships nothing.
 */
open module org.rnn4j.tests {
    requires org.rnn4j.core;
    requires org.rnn4j.spi;
    requires org.rnn4j.nn;
    requires org.rnn4j.cells;
    requires org.rnn4j.attention;
    requires org.rnn4j.training;
}
