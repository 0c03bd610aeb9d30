package org.rnn4j.examples.lab;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.rnn4j.core.kernel.Kernels;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The rnn4j command line: {@code lab}, {@code train} and {@code predict} (the {@code rnn4j} script runs the benchmarks itself). */
@Command(name = "rnn4j", mixinStandardHelpOptions = true, version = "rnn4j 0.1.0",
        description = "Recurrent neural networks in pure Java: the lab, training and prediction on your own data.",
        subcommands = {Cli.LabCommand.class, Series.TrainCommand.class, Series.PredictCommand.class})
public final class Cli implements Runnable {

    /** The labs, in the order they run. */
    static final List<Experiment> LABS = List.of(new ForecastLab(), new RecursiveLab(), new CharLmLab(), new NamesLab(), new SpamLab(), new G2pLab(), new GradientLab());

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Runs the command line; exits with picocli's status (0 on success, 2 on bad arguments, 1 on failure). */
    public static void main(String[] args) {
        System.setProperty("java.awt.headless", "true");
        System.exit(commandLine().execute(args));
    }

    static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Cli());
        cli.setExecutionExceptionHandler((e, line, parsed) -> {
            // Our own errors carry full messages; anything else (an I/O error naming only a path) also needs its type.
            String message = e instanceof IllegalArgumentException || e instanceof java.io.UncheckedIOException
                    || e instanceof IllegalStateException ? e.getMessage() : e.getClass().getSimpleName() + ": " + e.getMessage();
            line.getErr().println("rnn4j " + line.getCommandName() + ": " + message);
            return 1;
        });
        return cli;
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "name a command: lab, train or predict");
    }

    /** {@code lab}: runs every lab, or the named ones, and writes the report. */
    @Command(name = "lab", mixinStandardHelpOptions = true,
            description = "Trains and evaluates the labs on the bundled data and writes a report folder (HTML with charts, Markdown, CSV).")
    static final class LabCommand implements Callable<Integer> {

        @Parameters(arity = "0..*", paramLabel = "NAME", description = "Labs to run (default: all). Known: ${COMPLETION-CANDIDATES}",
                completionCandidates = LabNames.class)
        List<String> names = new ArrayList<>();

        @Option(names = "--full", description = "The longer, better run.")
        boolean full;

        @Option(names = "--tiny", description = "A few seconds per lab (what the integration test runs); the numbers mean little.")
        boolean tiny;

        @Option(names = "--out", description = "Report folder (default: ${DEFAULT-VALUE}).", defaultValue = "lab-report")
        Path out;

        @Option(names = "--data", description = "Your own data file for the one lab named (see --list for what each lab reads).")
        Path data;

        @Option(names = "--seed", description = "Seed of everything random (default: ${DEFAULT-VALUE}).", defaultValue = "1")
        long seed;

        @Option(names = "--list", description = "Lists the labs and what data each reads, then exits.")
        boolean list;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            PrintStream out = System.out;
            if (list) {
                for (Experiment lab : LABS) {
                    out.printf(Locale.ROOT, "%-10s %s%n%10s --data: %s%n", lab.name(), lab.title(), "", lab.dataHelp());
                }
                return 0;
            }
            if (full && tiny) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--full and --tiny exclude each other");
            }
            Map<String, Experiment> byName = new LinkedHashMap<>();
            LABS.forEach(l -> byName.put(l.name(), l));
            List<Experiment> chosen = new ArrayList<>();
            for (String name : names) {
                Experiment lab = byName.get(name);
                if (lab == null) {
                    throw new CommandLine.ParameterException(spec.commandLine(), "unknown lab '" + name + "'; the labs are "
                            + byName.keySet());
                }
                chosen.add(lab);
            }
            if (chosen.isEmpty()) {
                chosen.addAll(LABS);
            }
            if (data != null && names.size() != 1) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--data needs exactly one lab named, given "
                        + (names.isEmpty() ? "none" : names.size() + ": " + names));
            }
            if (data != null && !Files.isRegularFile(data)) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--data: no such file " + data);
            }
            checkOut();
            clearEarlierReport();
            Size size = full ? Size.FULL : tiny ? Size.TINY : Size.DEFAULT;
            Kernels kernels = Kernels.get();
            out.printf(Locale.ROOT, "rnn4j lab (%s run, seed %d) on %s kernels, %d-bit vectors, %d threads%n",
                    size.name().toLowerCase(Locale.ROOT), seed, kernels.name(), kernels.vectorBitSize(), kernels.maxThreads());
            Report report = run(chosen, size, out);
            out.println();
            out.print(report.table());
            out.println("\nreport: " + this.out.resolve(Report.HTML).toAbsolutePath());
            return 0;
        }

        /**
         * The report replaces an earlier report only: a folder holding anything a report does not
         * write (a file of a report's name that does not begin as a report's, anything but charts in
         * a lab's folder, or the --data file) is refused. An earlier report is removed whole, so
         * that the new one holds one run's labs and nothing stale.
         */
        private void checkOut() throws java.io.IOException {
            if (Files.exists(out) && !Files.isDirectory(out)) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--out: " + out + " is a file, not a folder");
            }
            if (!Files.isDirectory(out)) {
                return;
            }
            if (data != null && data.toAbsolutePath().normalize().startsWith(out.toAbsolutePath().normalize())) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--data " + data + " lies in --out " + out
                        + ", which the report replaces; write the report to another folder");
            }
            java.util.Set<String> labNames = new java.util.HashSet<>();
            LABS.forEach(lab -> labNames.add(lab.name()));
            try (var entries = Files.list(out)) {
                for (Path entry : (Iterable<Path>) entries::iterator) {
                    String name = entry.getFileName().toString();
                    String foreign = Report.FILES.contains(name) ? (Report.writtenByAReport(entry) ? null
                            : name + ", which does not begin as a report's " + name)
                            : labNames.contains(name) && Files.isDirectory(entry) ? foreignIn(entry)
                            : name.endsWith(".tmp") ? null : name + ", which no lab report writes";
                    if (foreign != null) {
                        throw new CommandLine.ParameterException(spec.commandLine(), "--out: " + out + " holds "
                                + foreign + "; name a new or empty folder, or an earlier report's");
                    }
                }
            }
        }

        /** The first entry of a lab's folder that is not a chart, or null. */
        private static String foreignIn(Path labFolder) throws java.io.IOException {
            try (var entries = Files.list(labFolder)) {
                return entries.map(p -> p.getFileName().toString())
                        .filter(n -> !(n.endsWith(".png") || n.endsWith(".tmp")))
                        .findFirst().map(n -> labFolder.getFileName() + "/" + n + ", which no lab report writes")
                        .orElse(null);
            }
        }

        /** Removes an earlier report that {@link #checkOut} accepted: its files, charts and lab folders. */
        private void clearEarlierReport() throws java.io.IOException {
            if (!Files.isDirectory(out)) {
                return;
            }
            for (String name : Report.FILES) {
                Files.deleteIfExists(out.resolve(name));
            }
            for (Experiment lab : LABS) {
                Path folder = out.resolve(lab.name());
                if (Files.isDirectory(folder)) {
                    try (var charts = Files.list(folder)) {
                        for (Path chart : (Iterable<Path>) charts::iterator) {
                            Files.delete(chart);
                        }
                    }
                    Files.delete(folder);
                }
            }
        }

        private Report run(List<Experiment> chosen, Size size, PrintStream log) throws java.io.IOException {
            Report report = new Report(this.out);
            for (Experiment lab : chosen) {
                log.printf(Locale.ROOT, "%n== %s: %s%n", lab.name(), lab.title());
                long start = System.nanoTime();
                Findings findings = lab.run(new LabRun(size, seed, this.out.resolve(lab.name()), data, log));
                log.printf(Locale.ROOT, "   (%s took %.0f s)%n", lab.name(), (System.nanoTime() - start) / 1e9);
                report.add(lab, findings);
                report.write();
            }
            return report;
        }
    }

    /** The lab names, for help and completion. */
    static final class LabNames extends ArrayList<String> {
        LabNames() {
            LABS.forEach(l -> add(l.name()));
        }
    }
}
