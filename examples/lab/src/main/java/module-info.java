/**
 * The rnn4j lab and command line: runnable examples on real data, with plots (XChart), progress
 * bars (progressbar) and a CLI (picocli). Only this module and bench use third-party libraries.
 */
module org.rnn4j.examples.lab {
    requires org.rnn4j.models;
    requires info.picocli;
    requires org.knowm.xchart;
    requires me.tongfei.progressbar;
    requires java.desktop;

    // picocli fills the commands' fields reflectively.
    opens org.rnn4j.examples.lab to info.picocli;
}
