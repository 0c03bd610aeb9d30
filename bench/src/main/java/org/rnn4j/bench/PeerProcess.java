package org.rnn4j.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A peer measured by another program (PyTorch's script, the DL4J project) that writes a CSV:
 * {@code # name: value} lines describing its environment, a header, then
 * {@code key,median_s,min_s,max_s,foreign_max,attempts} per row, with the keys {@code gemm/N} and
 * {@code rnn/BxTxIxH/cell/infer|train}.
 *
 * @param samples     per key
 * @param environment the {@code name: value} lines
 */
record PeerProcess(Map<String, Sample> samples, List<String> environment) {

    /**
     * Runs {@code command} with its output shown as it comes, and reads {@code csv} afterwards.
     *
     * @param peer the peer's name, for messages
     * @throws IOException when the program cannot start, fails, or leaves no readable CSV
     */
    static PeerProcess run(String peer, List<String> command, Map<String, String> env, Path csv)
            throws IOException, InterruptedException {
        Files.deleteIfExists(csv);
        ProcessBuilder builder = new ProcessBuilder(command).inheritIO();
        builder.environment().putAll(env);
        int exit = builder.start().waitFor();
        if (exit != 0) {
            throw new IOException(peer + " failed (exit status " + exit + "; its output is above): " + String.join(" ", command));
        }
        return read(peer, csv);
    }

    private static PeerProcess read(String peer, Path csv) throws IOException {
        Map<String, Sample> samples = new LinkedHashMap<>();
        List<String> environment = new ArrayList<>();
        for (String line : Files.readAllLines(csv)) {
            if (line.startsWith("# ")) {
                environment.add(line.substring(2));
            } else if (!line.isBlank() && !line.startsWith("key,")) {
                String[] f = line.split(",");
                if (f.length != 6) {
                    throw new IOException(peer + ": unexpected line in " + csv + ": " + line);
                }
                samples.put(f[0], new Sample(Double.parseDouble(f[1]), Double.parseDouble(f[2]),
                        Double.parseDouble(f[3]), Double.parseDouble(f[4]), Double.NaN, Double.NaN, Double.NaN,
                        Integer.parseInt(f[5])));
            }
        }
        return new PeerProcess(samples, environment);
    }
}
