package org.rnn4j.tests.reliability;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A child JVM that fails shows why, and one that hangs is stopped at its time limit. */
class ChildJvmTest {

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void aFailedChildShowsItsStdoutAndTheExceptionOnItsStderr() {
        AssertionError failure = assertThrows(AssertionError.class,
                () -> ChildJvm.run(60, FailingChild.class, List.of()));
        String message = failure.getMessage();
        assertTrue(message.contains("[started]"), "the child's stdout in: " + message);
        assertTrue(message.contains("IllegalStateException: " + FailingChild.MESSAGE),
                "the child's exception in: " + message);
    }

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void aChildThatHangsIsKilledAtItsTimeLimit() {
        long start = System.nanoTime();
        AssertionError failure = assertThrows(AssertionError.class,
                () -> ChildJvm.run(3, FailingChild.class, List.of(), "hang"));
        double took = (System.nanoTime() - start) / 1e9;
        String message = failure.getMessage();
        assertTrue(message.contains("did not finish within 3 s and was killed"), "the time limit in: " + message);
        assertTrue(message.contains("[started]"), "what it printed before in: " + message);
        // A watchdog bound, not a speed claim: the kill comes near the limit, not at the test's own timeout.
        assertTrue(took < 60, "stopped after " + took + " s, not near its 3 s limit");
    }
}
