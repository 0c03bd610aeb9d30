package org.rnn4j.bench;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * OpenBLAS's {@code cblas_sgemm} called through the Foreign Function &amp; Memory API, the GEMM
 * peer of the rnn4j kernels. The library is the one installed on the system ({@link #locate()});
 * rnn4j itself never depends on it.
 */
final class OpenBlas {

    /** System property (or, as {@code RNN4J_OPENBLAS}, environment variable) naming the library file. */
    static final String PATH_PROPERTY = "rnn4j.openblas";

    private static final int ROW_MAJOR = 101;
    private static final int NO_TRANS = 111;

    /** Where distributions put the library (Debian in an {@code openblas-*} subfolder) when the loader's cache does not list it. */
    private static final List<String> FOLDERS = List.of("/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu",
            "/usr/lib64", "/usr/lib", "/usr/local/lib", "/opt/OpenBLAS/lib", "/opt/homebrew/opt/openblas/lib",
            "/usr/local/opt/openblas/lib");

    private final Path library;
    private final MethodHandle sgemm;
    private final String config;
    private final String core;
    private final int threads;

    private OpenBlas(Path library, int threads) {
        this.library = library;
        SymbolLookup lookup = SymbolLookup.libraryLookup(library, Arena.global());
        Linker linker = Linker.nativeLinker();
        this.sgemm = linker.downcallHandle(symbol(lookup, "cblas_sgemm"), FunctionDescriptor.ofVoid(
                JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT,
                JAVA_FLOAT, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT, JAVA_FLOAT, ADDRESS, JAVA_INT));
        MethodHandle setThreads = linker.downcallHandle(symbol(lookup, "openblas_set_num_threads"),
                FunctionDescriptor.ofVoid(JAVA_INT));
        MethodHandle getThreads = linker.downcallHandle(symbol(lookup, "openblas_get_num_threads"),
                FunctionDescriptor.of(JAVA_INT));
        try {
            setThreads.invokeExact(threads);
            this.threads = (int) getThreads.invokeExact();
        } catch (Throwable e) {
            throw new IllegalStateException("OpenBLAS at " + library + ": openblas_set_num_threads failed", e);
        }
        this.config = string(linker, lookup, "openblas_get_config");
        this.core = string(linker, lookup, "openblas_get_corename");
    }

    /**
     * Loads the library and sets its thread count.
     *
     * @throws IllegalArgumentException when the file is not an OpenBLAS with the CBLAS interface
     */
    static OpenBlas load(Path library, int threads) {
        return new OpenBlas(library, threads);
    }

    private static MemorySegment symbol(SymbolLookup lookup, String name) {
        return lookup.find(name).orElseThrow(() -> new IllegalArgumentException(
                "no symbol " + name + " in the library: not an OpenBLAS with its CBLAS interface"));
    }

    private static String string(Linker linker, SymbolLookup lookup, String function) {
        try {
            MethodHandle h = linker.downcallHandle(symbol(lookup, function), FunctionDescriptor.of(ADDRESS));
            MemorySegment s = (MemorySegment) h.invokeExact();
            return s.reinterpret(1024).getString(0, StandardCharsets.US_ASCII).trim();
        } catch (Throwable e) {
            return "?";
        }
    }

    /**
     * The library to use: the file named by {@value #PATH_PROPERTY} (or {@code RNN4J_OPENBLAS}),
     * else the first {@code libopenblas} the dynamic loader's cache lists ({@code ldconfig -p}),
     * else one in the usual install folders; empty when there is none.
     */
    static Optional<Path> locate() {
        return search().map(OpenBlas::real);
    }

    /** The file behind links (Debian's alternatives), whose folder is the OpenBLAS build's own. */
    private static Path real(Path library) {
        try {
            return library.toRealPath();
        } catch (IOException e) {
            return library;
        }
    }

    private static Optional<Path> search() {
        String named = System.getProperty(PATH_PROPERTY, System.getenv("RNN4J_OPENBLAS"));
        if (named != null && !named.isBlank()) {
            return Optional.of(Path.of(named));
        }
        for (String ldconfig : List.of("ldconfig", "/sbin/ldconfig", "/usr/sbin/ldconfig")) {
            Optional<Path> cached = fromLoaderCache(ldconfig);
            if (cached.isPresent()) {
                return cached;
            }
        }
        for (String folder : FOLDERS) {
            List<Path> dirs = new ArrayList<>(List.of(Path.of(folder)));
            dirs.addAll(list(Path.of(folder), "openblas-*"));
            for (Path dir : dirs) {
                List<Path> libraries = list(dir, "libopenblas*.{so,so.*,dylib}");
                if (!libraries.isEmpty()) {
                    return Optional.of(libraries.getFirst());
                }
            }
        }
        return Optional.empty();
    }

    private static Optional<Path> fromLoaderCache(String ldconfig) {
        try {
            Process p = new ProcessBuilder(ldconfig, "-p").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor();
            return out.lines().map(String::trim).filter(l -> l.startsWith("libopenblas") && l.contains("=> "))
                    .map(l -> Path.of(l.substring(l.indexOf("=> ") + 3).trim())).findFirst();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    private static List<Path> list(Path dir, String glob) {
        List<Path> found = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return found;
        }
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, glob)) {
            s.forEach(found::add);
        } catch (IOException e) {
            return found;
        }
        found.sort(null);
        return found;
    }

    /** {@code C = A * B} for row-major {@code m x k} and {@code k x n} operands in native memory. */
    void sgemm(int m, int n, int k, MemorySegment a, MemorySegment b, MemorySegment c) {
        try {
            sgemm.invokeExact(ROW_MAJOR, NO_TRANS, NO_TRANS, m, n, k, 1f, a, k, b, n, 0f, c, n);
        } catch (Throwable e) {
            throw new IllegalStateException("cblas_sgemm failed", e);
        }
    }

    /** The library file, its build configuration, the kernels it runs and its threads, for the report. */
    String describe() {
        return config + ", kernels " + core + ", " + threads + " threads (" + library + ")";
    }
}
