package org.rnn4j.bench;

/** Parses the command-line arguments the bench tools share, with errors that name the argument. */
final class BenchArguments {

    private BenchArguments() {
    }

    /**
     * Prints {@code usage: } and {@code usage} to standard error and exits with status 2 unless
     * {@code args} has {@code min} to {@code max} entries.
     */
    static void exitUnlessCount(String[] args, int min, int max, String usage) {
        if (args.length < min || args.length > max) {
            System.err.println("usage: " + usage);
            System.exit(2);
        }
    }

    /** {@code shape} when written {@code BxTxIxH} with four whole numbers >= 1, else an error. */
    static String shape(String shape) {
        dimensions("BxTxIxH", shape, 4);
        return shape;
    }

    /**
     * {@code value} written as {@code count} whole numbers >= 1 joined by {@code x} (as {@code format}
     * names them, e.g. {@code MxNxK}), or an error naming the format.
     */
    static int[] dimensions(String format, String value, int count) {
        String[] parts = value.split("x", -1);
        int[] dims = new int[count];
        boolean valid = parts.length == count;
        for (int i = 0; valid && i < count; i++) {
            valid = parts[i].matches("\\d{1,9}") && (dims[i] = Integer.parseInt(parts[i])) >= 1;
        }
        if (!valid) {
            throw new IllegalArgumentException("shape must be " + format + " (" + count + " whole numbers >= 1), given '"
                    + value + "'");
        }
        return dims;
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
