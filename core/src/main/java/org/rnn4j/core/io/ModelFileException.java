package org.rnn4j.core.io;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A model or tensor file that cannot be read as what it claims to be: truncated, malformed,
 * inconsistent, or not matching the model it is loaded into. The message names the file and,
 * where one is at fault, the tensor.
 */
public class ModelFileException extends IOException {

    private static final long serialVersionUID = 1L;

    /**
     * A problem with a model file, its message prefixed with the file.
     *
     * @param file the file at fault, or null when reading from memory
     */
    public ModelFileException(Path file, String problem) {
        super((file == null ? "" : file + ": ") + problem);
    }

    /**
     * A problem with a model file caused by another exception, its message prefixed with the file.
     *
     * @param file the file at fault, or null when reading from memory
     */
    public ModelFileException(Path file, String problem, Throwable cause) {
        super((file == null ? "" : file + ": ") + problem, cause);
    }
}
