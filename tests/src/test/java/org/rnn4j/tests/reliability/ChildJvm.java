package org.rnn4j.tests.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Starts a main class of the tests module in a child JVM on this JVM's java and module path. */
final class ChildJvm {

    private ChildJvm() {
    }

    /**
     * Starts {@code main} with the JVM options and program arguments given; stdout is piped,
     * stderr discarded.
     */
    static Process start(Class<?> main, List<String> jvmOptions, String... args) throws IOException {
        String java = ProcessHandle.current().info().command().orElseThrow();
        String modulePath = System.getProperty("jdk.module.path");
        assertTrue(modulePath != null && !modulePath.isBlank(), "the tests run on the module path");
        List<String> command = new ArrayList<>(List.of(java));
        command.addAll(jvmOptions);
        command.addAll(List.of("--module-path", modulePath, "-m", "org.rnn4j.tests/" + main.getName()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.PIPE)
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
    }

    /**
     * Runs {@code main} as {@link #start} does, to its end, and returns the lines it printed; fails
     * unless it finishes within {@code seconds} with exit code 0 (an uncaught exception or error,
     * an OutOfMemoryError among them, makes it 1).
     */
    static List<String> run(long seconds, Class<?> main, List<String> jvmOptions, String... args)
            throws IOException, InterruptedException {
        Process child = start(main, jvmOptions, args);
        List<String> lines;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            lines = out.lines().toList();
        }
        assertTrue(child.waitFor(seconds, TimeUnit.SECONDS), main.getSimpleName() + " finished within " + seconds + " s");
        assertEquals(0, child.exitValue(), main.getSimpleName() + "'s exit code; its output: " + lines);
        return lines;
    }
}
