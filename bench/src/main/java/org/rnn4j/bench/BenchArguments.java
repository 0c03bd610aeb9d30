package org.rnn4j.bench;

/** Parses the command-line arguments the bench tools share, with errors that name the argument. */
final class BenchArguments {

    private BenchArguments() {
    }

    /** {@code shape} when written {@code BxTxIxH} with four whole numbers, else an error. */
    static String shape(String shape) {
        if (!shape.matches("\\d+x\\d+x\\d+x\\d+")) {
            throw new IllegalArgumentException("shape must be BxTxIxH (four whole numbers), given '" + shape + "'");
        }
        return shape;
    }

    /** {@code value} as a whole number >= 1, or an error naming the argument. */
    static int whole(String name, String value) {
        try {
            int n = Integer.parseInt(value);
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(name + " must be a whole number >= 1, given '" + value + "'");
    }

    /** {@code value} as a number, or an error naming the argument. */
    static double number(String name, String value) {
        try {
            return Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a number, given '" + value + "'", e);
        }
    }
}
