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
            if (data != null && chosen.size() != 1) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--data needs exactly one lab named, given "
                        + chosen.size());
            }
            if (data != null && !Files.isRegularFile(data)) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--data: no such file " + data);
            }
            checkOut();
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

        /** The report replaces an earlier report's files only: a folder holding anything else is refused. */
        private void checkOut() throws java.io.IOException {
            if (Files.exists(out) && !Files.isDirectory(out)) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--out: " + out + " is a file, not a folder");
            }
            if (!Files.isDirectory(out)) {
                return;
            }
            java.util.Set<String> reportNames = new java.util.HashSet<>(Report.FILES);
            LABS.forEach(lab -> reportNames.add(lab.name()));
            try (var entries = Files.list(out)) {
                var other = entries.map(p -> p.getFileName().toString()).filter(n -> !reportNames.contains(n) && !n.endsWith(".tmp")).findFirst();
                if (other.isPresent()) {
                    throw new CommandLine.ParameterException(spec.commandLine(), "--out: " + out + " holds " + other.get()
                            + ", which no lab report writes; name a new or empty folder, or an earlier report's");
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
