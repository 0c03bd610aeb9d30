package org.rnn4j.examples.lab;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.rnn4j.models.SequenceModel;

/**
 * Lab 1, sequence-to-value forecasting: an LSTM and a GRU read the last W values of a series and
 * forecast the next one, or the next twelve at once; root mean squared error on the held-out end
 * of the series next to the seasonal-naive forecast and a linear autoregression on the same inputs.
 */
final class ForecastLab implements Experiment {

    /** One series and how to model it. */
    private record Case(String name, String file, Forecasting.Transform transform, int season, int window,
                        int test, int[] horizons, String unit) {
    }

    @Override
    public String name() {
        return "forecast";
    }

    @Override
    public String title() {
        return "Sequence-to-value forecasting: LSTM and GRU, one month and 12 months ahead (AirPassengers), one year ahead (sunspots)";
    }

    @Override
    public String dataHelp() {
        return "a CSV file with a header; its last column is the series (season 12, the last fifth, at least 13 values, held out)";
    }

    @Override
    public Findings run(LabRun run) throws IOException {
        List<Case> cases = new ArrayList<>();
        if (run.data() != null) {
            double[] s = run.series(null);
            boolean positive = java.util.Arrays.stream(s).allMatch(v -> v > 0);
            cases.add(new Case(run.data().getFileName().toString(), null, positive ? Forecasting.LOG : Forecasting.IDENTITY, 12,
                    12, Math.max(13, s.length / 5), new int[] {1, 12}, "units of the file"));
        } else {
            cases.add(new Case("AirPassengers", "airpassengers.csv", Forecasting.LOG, 12, 12, 24, new int[] {1, 12}, "thousands of passengers"));
            // Yearly: twelve years ahead is more than a solar cycle, so sunspots are forecast one step ahead only.
            cases.add(new Case("sunspots", "sunspot_year.csv", Forecasting.SQRT, 11, 22, 33, new int[] {1}, "sunspot number"));
        }
        Findings findings = new Findings();
        int epochs = run.size().pick(60, 300, 800);
        int hidden = run.size().pick(16, 16, 32);
        for (Case c : cases) {
            double[] series = c.file() == null ? run.series(null) : run.series(c.file());
            for (int horizon : c.horizons()) {
                Forecasting f = new Forecasting(series, c.transform(), c.window(), horizon, series.length - c.test());
                int[] origins = f.testOrigins();
                double naive = f.rmse(origins, f.seasonalNaive(origins, c.season()));
                double linear = f.rmse(origins, f.linear(origins));
                String steps = horizon == 1 ? "one-step" : horizon + "-step";
                findings.row(c.name() + " linear AR " + steps, "RMSE", linear, "seasonal naive", naive, true);
                List<double[][]> curves = new ArrayList<>();
                for (String cell : new String[] {"lstm", "gru"}) {
                    SequenceModel model = f.train(run, cell, hidden, epochs);
                    double[][] forecasts = f.forecast(model, origins);
                    double rmse = f.rmse(origins, forecasts);
                    findings.row(c.name() + " " + cell.toUpperCase(java.util.Locale.ROOT) + " " + steps, "RMSE", rmse,
                            "seasonal naive", naive, true);
                    run.say("   %s %s %s: RMSE %.2f (seasonal naive %.2f, linear %.2f) %s", c.name(), cell, steps, rmse, naive,
                            linear, c.unit());
                    curves.add(forecasts);
                }
                if (horizon == 1) {
                    findings.chart(chart(run, c, f, origins, curves, f.seasonalNaive(origins, c.season())));
                }
            }
        }
        findings.note("Held-out part: the last " + cases.getFirst().test() + " values of " + cases.getFirst().name()
                + (cases.size() > 1 ? " and the last " + cases.get(1).test() + " of " + cases.get(1).name() : "")
                + "; the models, the spread used to scale the inputs and the linear baseline see only the values before it.");
        return findings;
    }

    private static java.nio.file.Path chart(LabRun run, Case c, Forecasting f, int[] origins, List<double[][]> forecasts,
                                            double[][] naive) throws IOException {
        int from = Math.max(0, f.trainEnd - 3 * c.season());
        int n = f.y.length - from;
        double[] actual = new double[n];
        for (int i = 0; i < n; i++) {
            actual[i] = f.raw(from + i);
        }
        double[] x = Charts.indexes(origins.length, origins[0]);
        return Charts.lines(run.file(c.name().replaceAll("\\W+", "_") + "_one_step.png"),
                c.name() + ": one-step forecasts of the held-out part", "index", c.unit(),
                List.of("actual", "LSTM", "GRU", "seasonal naive"),
                List.of(Charts.indexes(n, from), x, x, x),
                List.of(actual, column(forecasts.get(0)), column(forecasts.get(1)), column(naive)), false, f.trainEnd);
    }

    private static double[] column(double[][] forecasts) {
        double[] c = new double[forecasts.length];
        for (int i = 0; i < c.length; i++) {
            c[i] = forecasts[i][0];
        }
        return c;
    }
}
