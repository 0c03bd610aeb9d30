/** The rnn4j lab: runnable examples on real data. */
module org.rnn4j.examples.lab {
    requires org.rnn4j.core;
    requires org.rnn4j.spi;
    requires org.rnn4j.nn;
    requires org.rnn4j.cells;
    requires org.rnn4j.attention;
    requires org.rnn4j.training;
}
