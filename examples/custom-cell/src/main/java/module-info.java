/**
 * A third-party cell plugin: the minimal gated unit, registered as {@code mgu}. It depends only on
 * the plugin contracts; the layer API finds it by name at run time.
 */
module org.rnn4j.examples.mgu {
    requires org.rnn4j.spi;

    provides org.rnn4j.spi.cell.CellProvider with org.rnn4j.examples.mgu.MguProvider;
}
