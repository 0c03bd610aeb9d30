package org.rnn4j.examples.lab;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** What a lab found: result rows, free-text notes (samples, explanations) and the charts it drew. */
final class Findings {

    /**
     * One measured result next to the baseline it must beat.
     *
     * @param model         what was measured, e.g. {@code LSTM one-step}
     * @param metric        e.g. {@code RMSE}
     * @param value         the model's value
     * @param baseline      the reference, e.g. {@code seasonal naive}
     * @param baselineValue the reference's value
     * @param lowerIsBetter whether smaller values are better (errors) or larger (accuracy)
     */
    record Row(String model, String metric, double value, String baseline, double baselineValue, boolean lowerIsBetter) {
        /** Whether the model beats its baseline. */
        boolean beats() {
            return lowerIsBetter ? value < baselineValue : value > baselineValue;
        }
    }

    final List<Row> rows = new ArrayList<>();
    final List<String> notes = new ArrayList<>();
    final List<Path> charts = new ArrayList<>();

    Findings row(String model, String metric, double value, String baseline, double baselineValue, boolean lowerIsBetter) {
        rows.add(new Row(model, metric, value, baseline, baselineValue, lowerIsBetter));
        return this;
    }

    Findings note(String note) {
        notes.add(note);
        return this;
    }

    Findings chart(Path chart) {
        charts.add(chart);
        return this;
    }
}
