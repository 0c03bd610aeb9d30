package org.rnn4j.tests.reliability;

/** Prints one line, then fails with an uncaught exception: the child whose failure {@code ChildJvmTest} reads. */
public final class FailingChild {

    /** The uncaught exception's message. */
    public static final String MESSAGE = "a failure the parent must show";

    private FailingChild() {
    }

    /** No arguments. */
    public static void main(String[] args) {
        System.out.println("started");
        throw new IllegalStateException(MESSAGE);
    }
}
