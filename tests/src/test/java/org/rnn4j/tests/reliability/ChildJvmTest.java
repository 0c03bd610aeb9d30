package org.rnn4j.tests.reliability;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A child JVM that fails shows why: the reliability tests' failures name the child's exception. */
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
}
