package org.rnn4j.tests.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnn4j.core.io.SafeTensors;
import org.rnn4j.training.Checkpoints;
import org.rnn4j.training.Trainer;

/**
 * Kills a training process with SIGKILL at random moments while it writes a checkpoint after
 * every step, again and again, and checks after each kill that every checkpoint under a final name
 * is complete and that the newest one resumes. The child JVM ({@link CheckpointingRun#main}) runs on
 * the same {@code java} and module path as this test and itself resumes from the newest checkpoint,
 * so training progresses across kills.
 *
 * <p>Runs for {@code -Drnn4j.crash.seconds} seconds (default 25).
 */
class CrashDuringSaveTest {

    private static final Pattern NAME = Pattern.compile("checkpoint-s(\\d{12})-e(\\d{6})-b(\\d{9})\\.safetensors");
    /** Hidden size of the child's model: small, so that saving (with its fsyncs) is most of a step. */
    private static final int HIDDEN = 8;

    @Test
    void killedMidSaveTheNewestCheckpointAlwaysLoadsAndResumes(@TempDir Path dir) throws Exception {
        long seconds = Long.getLong("rnn4j.crash.seconds", 25);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        SplittableRandom rng = new SplittableRandom(42);
        int kills = 0;
        int midSave = 0;
        long firstStep = -1;
        long lastStep = -1;
        Set<String> temporaries = new HashSet<>();
        while (System.nanoTime() < deadline || kills < 5) {
            Process child = start(dir);
            String started = awaitStart(child);
            awaitNewCheckpoint(child, dir, lastStep);
            // A random moment in the save loop: saving (with its fsyncs) is most of a step.
            Thread.sleep(rng.nextInt(0, 150));
            if (!child.isAlive()) {
                fail("the child exited by itself (code " + child.exitValue() + ") after '" + started + "'");
            }
            child.destroyForcibly();
            assertTrue(child.waitFor(30, TimeUnit.SECONDS), "the killed child did not exit");
            kills++;
            // A temporary file not seen before is the save the kill interrupted.
            if (temporaries.addAll(temporaryFiles(dir))) {
                midSave++;
            }
            long step = checkAll(dir);
            assertTrue(step >= lastStep, "the newest checkpoint went back from step " + lastStep + " to " + step
                    + " (the child " + started + ")");
            firstStep = firstStep < 0 ? step : firstStep;
            lastStep = step;
        }
        String summary = "CrashDuringSaveTest: " + kills + " SIGKILLs survived in " + seconds + " s, " + midSave
                + " of them inside a save (a temporary file left behind); training went from step " + firstStep + " to "
                + lastStep + " across the kills";
        System.out.println(summary);
        assertTrue(lastStep > firstStep, "training progressed across kills: " + summary);
        assertTrue(midSave > 0, "no kill landed inside a save, so the test proved nothing: " + summary);
        assertTrue(temporaryFiles(dir).size() <= 1, "stale temporary files are cleaned up: " + temporaryFiles(dir));
    }

    /** Starts the child on this JVM's java and module path. */
    private static Process start(Path dir) throws IOException {
        // Quick start-up: C1 only, and the scalar kernels (the Vector API is slow until C2 compiles it).
        return ChildJvm.start(CheckpointingRun.class, List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-Drnn4j.kernels=scalar"), dir.toString(), Integer.toString(HIDDEN));
    }

    /** The child's first line, printed once it has found its checkpoint and starts resuming. */
    private static String awaitStart(Process child) throws IOException {
        BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine();
        if (line == null) {
            fail("the child exited before starting, code " + waitFor(child));
        }
        return line;
    }

    /** Waits until the child has saved past {@code step}, so every run makes progress before it is killed. */
    private static void awaitNewCheckpoint(Process child, Path dir, long step) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (newestStep(dir) <= step) {
            if (!child.isAlive() || System.nanoTime() > deadline) {
                fail("the child saved nothing past step " + step + (child.isAlive() ? " in 60 s" : "; it exited with code "
                        + child.exitValue()));
            }
            Thread.sleep(2);
        }
    }

    private static long newestStep(Path dir) throws IOException {
        var latest = Checkpoints.latest(dir);
        if (latest.isEmpty()) {
            return -1;
        }
        Matcher m = NAME.matcher(latest.get().getFileName().toString());
        assertTrue(m.matches(), latest.get().toString());
        return Long.parseLong(m.group(1));
    }

    private static int waitFor(Process child) {
        try {
            return child.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /**
     * Checks that every checkpoint under a final name is a complete file, and that the newest
     * resumes to the end of its epoch; returns the newest step.
     */
    private static long checkAll(Path dir) throws IOException {
        for (Path file : Checkpoints.list(dir)) {
            SafeTensors.read(file);
        }
        Path latest = Checkpoints.latest(dir).orElseThrow();
        Matcher m = NAME.matcher(latest.getFileName().toString());
        assertTrue(m.matches(), latest.toString());
        long step = Long.parseLong(m.group(1));
        int epoch = Integer.parseInt(m.group(2));
        Trainer.History history = CheckpointingRun.trainer(CheckpointingRun.model(HIDDEN), epoch + 1, null, 0)
                .resume(latest, CheckpointingRun.data());
        assertEquals(epoch + 1, history.epochs().size(), "the resumed run completes the checkpoint's epoch");
        assertTrue(history.steps() >= step, "resumed at step " + step + ", ended at " + history.steps());
        return step;
    }

    private static Set<String> temporaryFiles(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return Set.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".tmp"))
                    .collect(Collectors.toSet());
        }
    }
}
