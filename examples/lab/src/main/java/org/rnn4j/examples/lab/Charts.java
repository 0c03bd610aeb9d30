package org.rnn4j.examples.lab;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.rnn4j.core.io.AtomicFiles;

/** PNG charts drawn with XChart, off screen. */
final class Charts {

    private Charts() {
    }

    /**
     * One line per series.
     *
     * @param names  series names
     * @param xs     x values per series
     * @param ys     y values per series
     * @param logY   whether the y axis is logarithmic
     * @param marker an x value to mark with a vertical line (for example the start of a forecast), or NaN
     */
    static Path lines(Path file, String title, String xLabel, String yLabel, List<String> names, List<double[]> xs,
                      List<double[]> ys, boolean logY, double marker) throws IOException {
        XYChart chart = new XYChartBuilder().width(900).height(500).title(title).xAxisTitle(xLabel).yAxisTitle(yLabel).build();
        chart.getStyler().setYAxisLogarithmic(logY);
        chart.getStyler().setMarkerSize(3);
        double low = Double.POSITIVE_INFINITY;
        double high = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < names.size(); i++) {
            XYSeries series = chart.addSeries(names.get(i), xs.get(i), ys.get(i));
            series.setMarker(SeriesMarkers.NONE);
            for (double y : ys.get(i)) {
                if (Double.isFinite(y) && (!logY || y > 0)) {
                    low = Math.min(low, y);
                    high = Math.max(high, y);
                }
            }
        }
        if (!Double.isNaN(marker) && low <= high) {
            XYSeries line = chart.addSeries("forecast starts", new double[] {marker, marker}, new double[] {low, high});
            line.setMarker(SeriesMarkers.NONE);
        }
        return savePng(chart, withPng(file));
    }

    /**
     * Learning curves over epochs 1, 2, ..., one line per curve, and each baseline as a horizontal
     * line across them, so a curve can be seen crossing the number it must beat.
     */
    static Path curves(Path file, String title, String yLabel, List<String> curveNames, List<double[]> curves,
                       List<String> baselineNames, double... baselines) throws IOException {
        List<String> names = new ArrayList<>(curveNames);
        List<double[]> xs = new ArrayList<>();
        List<double[]> ys = new ArrayList<>(curves);
        int epochs = 1;
        for (double[] curve : curves) {
            xs.add(indexes(curve.length, 1));
            epochs = Math.max(epochs, curve.length);
        }
        for (int i = 0; i < baselines.length; i++) {
            names.add(baselineNames.get(i));
            xs.add(new double[] {1, epochs});
            ys.add(new double[] {baselines[i], baselines[i]});
        }
        return lines(file, title, "epoch", yLabel, names, xs, ys, false, Double.NaN);
    }

    /**
     * A heat map of {@code values[row][column]}, e.g. attention weights of output steps (rows, the
     * first drawn at the top) over input steps (columns), coloured on the scale {@code [min, max]}.
     */
    static Path heatMap(Path file, String title, List<String> columns, List<String> rows, double[][] values, double min,
                        double max) throws IOException {
        // Wide enough for the title as well as the cells.
        HeatMapChart chart = new HeatMapChartBuilder().width(Math.max(160 + 40 * columns.size(), 120 + 9 * title.length()))
                .height(140 + 30 * rows.size()).title(title).build();
        chart.getStyler().setShowValue(false).setMin(min).setMax(max)
                .setRangeColors(new java.awt.Color[] {java.awt.Color.WHITE, new java.awt.Color(8, 48, 107)})
                .setHeatMapDecimalValueFormatter(v -> String.format(java.util.Locale.ROOT, "%.2f", v));
        // XChart draws row 0 at the bottom.
        chart.addSeries("weights", columns, rows.reversed(), toTriples(values));
        return savePng(chart, withPng(file));
    }

    private static List<Number[]> toTriples(double[][] values) {
        List<Number[]> triples = new ArrayList<>();
        for (int r = 0; r < values.length; r++) {
            for (int c = 0; c < values[r].length; c++) {
                triples.add(new Number[] {c, values.length - 1 - r, values[r][c]});
            }
        }
        return triples;
    }

    /** Writes the chart as {@code png} atomically ({@link AtomicFiles}), as the report's text files are written. */
    private static Path savePng(org.knowm.xchart.internal.chartpart.Chart<?, ?> chart, Path png) throws IOException {
        AtomicFiles.write(png, channel -> {
            // AtomicFiles forces and closes the channel itself, so the encoder must not close it.
            OutputStream out = new FilterOutputStream(Channels.newOutputStream(channel)) {
                @Override
                public void close() throws IOException {
                    flush();
                }
            };
            BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG);
            out.flush();
        });
        return png;
    }

    /** The name with {@code .png} added unless it has it already. */
    private static Path withPng(Path file) {
        return file.toString().endsWith(".png") ? file : Path.of(file + ".png");
    }

    /** 0, 1, 2, ... as x values. */
    static double[] indexes(int n, int from) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = from + i;
        }
        return x;
    }
}
