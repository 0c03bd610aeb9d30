package org.rnn4j.tests.reliability;

/**
 * Prints one line, then fails with an uncaught exception, or with argument {@code hang} sleeps for
 * ten minutes: the children whose failures {@code ChildJvmTest} reads.
 */
public final class FailingChild {

    /** The uncaught exception's message. */
    public static final String MESSAGE = "a failure the parent must show";

    private FailingChild() {
    }

    /** No arguments, or {@code hang}. */
    public static void main(String[] args) throws InterruptedException {
        System.out.println("started");
        if (args.length == 1 && args[0].equals("hang")) {
            Thread.sleep(600_000);
        }
        throw new IllegalStateException(MESSAGE);
    }
}
