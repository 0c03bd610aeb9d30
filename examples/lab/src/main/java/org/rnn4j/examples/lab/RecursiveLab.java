package org.rnn4j.examples.lab;

import java.io.IOException;
import java.util.List;
import org.rnn4j.models.SequenceModel;

/**
 * Lab 2, recursive sequence-to-sequence forecasting: a one-step LSTM forecasts three years of
 * monthly CO2 at Mauna Loa by feeding each of its forecasts back as the next input; its error over
 * the whole horizon next to the seasonal-naive forecast and to seasonal naive with drift.
 */
final class RecursiveLab implements Experiment {

    private static final int SEASON = 12;

    @Override
    public String name() {
        return "recursive";
    }

    @Override
    public String title() {
        return "Recursive forecasting: a one-step LSTM fed its own forecasts for 36 months (Mauna Loa CO2)";
    }

    @Override
    public String dataHelp() {
        return "a CSV file with a header; its last column is a monthly series (the last 36 values are the horizon)";
    }

    @Override
    public Findings run(LabRun run) throws IOException {
        double[] series = run.series("co2.csv");
        int horizon = 36;
        int window = 24;
        Forecasting f = new Forecasting(series, Forecasting.IDENTITY, window, 1, series.length - horizon);
        int epochs = run.size().pick(20, 60, 200);
        SequenceModel model = f.train(run, "lstm", run.size().pick(16, 32, 64), epochs);
        double[] forecast = f.recursive(model, f.trainEnd, horizon);

        double[] actual = new double[horizon];
        double[] naive = new double[horizon];
        double[] drift = new double[horizon];
        // Drift: the average yearly change over the training part, added once per year ahead.
        double yearly = (f.raw(f.trainEnd - 1) - f.raw(SEASON - 1)) / ((f.trainEnd - SEASON) / (double) SEASON);
        for (int h = 0; h < horizon; h++) {
            actual[h] = f.raw(f.trainEnd + h);
            int back = SEASON * (h / SEASON + 1);
            naive[h] = f.raw(f.trainEnd + h - back);
            drift[h] = naive[h] + yearly * (h / SEASON + 1);
        }
        double rmse = rmse(forecast, actual);
        double naiveRmse = rmse(naive, actual);
        double driftRmse = rmse(drift, actual);
        run.say("   recursive LSTM over %d months: RMSE %.3f ppm (seasonal naive %.3f, with drift %.3f)", horizon, rmse, naiveRmse,
                driftRmse);
        Findings findings = new Findings()
                .row("LSTM recursive, 36 months", "RMSE ppm", rmse, "seasonal naive", naiveRmse, true)
                .row("seasonal naive with drift", "RMSE ppm", driftRmse, "seasonal naive", naiveRmse, true);
        int from = Math.max(0, f.trainEnd - 4 * SEASON); // up to four years of history on the chart
        int n = f.trainEnd + horizon - from;
        double[] history = new double[n];
        for (int i = 0; i < n; i++) {
            history[i] = f.raw(from + i);
        }
        double[] x = Charts.indexes(horizon, f.trainEnd);
        findings.chart(Charts.lines(run.file("co2_recursive.png"), "CO2: 36 months forecast recursively from the last training month",
                "month index", "ppm", List.of("actual", "LSTM (recursive)", "seasonal naive", "seasonal naive + drift"),
                List.of(Charts.indexes(n, from), x, x, x), List.of(history, forecast, naive, drift), false, f.trainEnd));
        findings.note("Each forecast is fed back as the newest input; no actual value from month " + f.trainEnd
                + " on is seen. Errors compound over the horizon, which is why a recursive model must learn the seasonal shape well.");
        return findings;
    }

    private static double rmse(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (a[i] - b[i]) * (a[i] - b[i]);
        }
        return Math.sqrt(s / a.length);
    }
}
