package org.rnn4j.core.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes files so that a crash or kill at any moment leaves either the previous complete file or
 * the new complete file under the final name, never a partial one: the content goes to a
 * temporary sibling, is forced to disk, and is then renamed over the target.
 */
public final class AtomicFiles {

    /** Writes the content of a file into an open channel. */
    @FunctionalInterface
    public interface Body {
        /** Writes everything; the channel is forced and closed by the caller. */
        void write(FileChannel channel) throws IOException;
    }

    private AtomicFiles() {
    }

    /**
     * Writes {@code file} atomically. The temporary file is named {@code .<name>.<random>.tmp} in the
     * same folder, created with the permissions any new file gets there, and deleted if {@code body}
     * fails. Where the file system cannot rename atomically, the rename falls back to a plain replace.
     */
    public static void write(Path file, Body body) throws IOException {
        Path target = file.toAbsolutePath();
        Path dir = target.getParent();
        Files.createDirectories(dir);
        Path tmp;
        FileChannel open;
        while (true) {
            // Not Files.createTempFile: its owner-only permissions would stay on the renamed file.
            tmp = dir.resolve("." + target.getFileName() + "." + Long.toUnsignedString(ThreadLocalRandom.current().nextLong()) + ".tmp");
            try {
                open = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.CREATE_NEW);
                break;
            } catch (FileAlreadyExistsException taken) {
                // another writer's temporary file: draw another name
            }
        }
        try {
            try (FileChannel ch = open) {
                body.write(ch);
                ch.force(true);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            forceDirectory(dir);
        } catch (Throwable failure) {
            // The cleanup's own failure must not hide why the write failed.
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException cleanup) {
                failure.addSuppressed(cleanup);
            }
            throw failure;
        }
    }

    /** Writes {@code content} as {@code file} atomically ({@link #write(Path, Body)}). */
    public static void write(Path file, byte[] content) throws IOException {
        ByteBuffer bytes = ByteBuffer.wrap(content);
        write(file, channel -> writeFully(channel, bytes));
    }

    /** Writes what remains of {@code buffer}: one channel write may take only part of it. */
    static void writeFully(FileChannel channel, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
    }

    private static void forceDirectory(Path dir) {
        // Makes the rename itself durable where a directory can be opened (Linux); elsewhere best effort.
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException ignored) {
            // the platform cannot sync a directory
        }
    }
}
