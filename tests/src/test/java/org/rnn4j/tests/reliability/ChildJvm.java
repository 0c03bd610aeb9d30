package org.rnn4j.tests.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Starts a main class of the tests module in a child JVM on this JVM's java and module path. */
final class ChildJvm {

    /** The most of a failed child's stderr a failure message shows: its end, where the exception is. */
    private static final int STDERR_SHOWN = 8000;

    private ChildJvm() {
    }

    /**
     * Starts {@code main} with the JVM options and program arguments given; stdout is piped,
     * stderr discarded.
     */
    static Process start(Class<?> main, List<String> jvmOptions, String... args) throws IOException {
        return command(main, jvmOptions, args).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    }

    /** The child's command line, with stdout piped. */
    private static ProcessBuilder command(Class<?> main, List<String> jvmOptions, String... args) {
        String java = ProcessHandle.current().info().command().orElseThrow();
        String modulePath = System.getProperty("jdk.module.path");
        assertTrue(modulePath != null && !modulePath.isBlank(), "the tests run on the module path");
        List<String> command = new ArrayList<>(List.of(java));
        command.addAll(jvmOptions);
        command.addAll(List.of("--module-path", modulePath, "-m", "org.rnn4j.tests/" + main.getName()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.PIPE);
    }

    /**
     * Runs {@code main} with the JVM options and program arguments given, to its end, and returns
     * the lines it printed on stdout; fails unless it finishes within {@code seconds} with exit code
     * 0 (an uncaught exception or error, an OutOfMemoryError among them, makes it 1), and then
     * shows the end of what it printed on stderr too.
     */
    static List<String> run(long seconds, Class<?> main, List<String> jvmOptions, String... args)
            throws IOException, InterruptedException {
        Path stderr = Files.createTempFile("rnn4j-child-", ".stderr");
        try {
            Process child = command(main, jvmOptions, args).redirectError(stderr.toFile()).start();
            List<String> lines;
            try (BufferedReader out = new BufferedReader(
                    new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                lines = out.lines().toList();
            }
            assertTrue(child.waitFor(seconds, TimeUnit.SECONDS),
                    main.getSimpleName() + " finished within " + seconds + " s");
            if (child.exitValue() != 0) {
                String errors = Files.readString(stderr, StandardCharsets.UTF_8);
                if (errors.length() > STDERR_SHOWN) {
                    errors = "[...]" + errors.substring(errors.length() - STDERR_SHOWN);
                }
                assertEquals(0, child.exitValue(), main.getSimpleName() + "'s exit code; its stdout: " + lines
                        + "; its stderr:\n" + errors);
            }
            return lines;
        } finally {
            Files.deleteIfExists(stderr);
        }
    }
}
