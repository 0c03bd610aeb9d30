package org.rnn4j.tests.reliability;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
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
     * the lines it printed on stdout. Fails unless it finishes within {@code seconds} (a child still
     * running then is killed) with exit code 0 (an uncaught exception or error, an OutOfMemoryError
     * among them, makes it 1); the failure shows the child's stdout and the end of its stderr.
     */
    static List<String> run(long seconds, Class<?> main, List<String> jvmOptions, String... args)
            throws IOException, InterruptedException {
        Path stderr = Files.createTempFile("rnn4j-child-", ".stderr");
        Process child = null;
        try {
            child = command(main, jvmOptions, args).redirectError(stderr.toFile()).start();
            List<String> lines = Collections.synchronizedList(new ArrayList<>());
            InputStream stdout = child.getInputStream();
            // Read on a thread of its own, so that the time limit holds while the child prints nothing.
            Thread reader = Thread.ofPlatform().daemon().start(() -> {
                try (BufferedReader out = new BufferedReader(new InputStreamReader(stdout, StandardCharsets.UTF_8))) {
                    for (String line; (line = out.readLine()) != null; ) {
                        lines.add(line);
                    }
                } catch (IOException e) {
                    // The pipe broke as the child was killed: the lines read so far are kept.
                }
            });
            boolean finished = child.waitFor(seconds, TimeUnit.SECONDS);
            if (!finished) {
                child.destroyForcibly().waitFor();
            }
            reader.join(TimeUnit.SECONDS.toMillis(30));
            List<String> printed = List.copyOf(lines);
            if (!finished || child.exitValue() != 0) {
                fail(main.getSimpleName() + (finished ? " exited with code " + child.exitValue()
                        : " did not finish within " + seconds + " s and was killed") + "; its stdout: " + printed
                        + "; its stderr:\n" + tail(stderr));
            }
            return printed;
        } finally {
            if (child != null && child.isAlive()) {
                child.destroyForcibly();
            }
            Files.deleteIfExists(stderr);
        }
    }

    /** The end of a child's stderr, at most {@link #STDERR_SHOWN} characters: where its exception is. */
    private static String tail(Path stderr) throws IOException {
        String errors = Files.readString(stderr, StandardCharsets.UTF_8);
        return errors.length() > STDERR_SHOWN ? "[...]" + errors.substring(errors.length() - STDERR_SHOWN) : errors;
    }
}
