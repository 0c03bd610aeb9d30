package org.rnn4j.tests.reliability;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

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
}
