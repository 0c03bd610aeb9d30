package org.rnn4j.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.CategorySeries;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** The report's PNG charts, drawn off screen with XChart. */
final class Charts {

    private Charts() {
    }

    /**
     * One value per row and series, with a horizontal reference line (for example parity at 1.0):
     * grouped bars on a linear axis, markers on a logarithmic one (XChart draws no bars there).
     *
     * @param values    series name to one value per row (NaN where the series has no value)
     * @param reference the reference line's name and value
     */
    static void categories(Path file, String title, String yLabel, List<String> rows, Map<String, List<Double>> values,
                           String referenceName, double reference, boolean logY) throws IOException {
        CategoryChart chart = new CategoryChartBuilder().width(Math.max(900, 60 + 34 * rows.size())).height(650)
                .title(title).yAxisTitle(yLabel).build();
        chart.getStyler().setYAxisLogarithmic(logY);
        chart.getStyler().setXAxisLabelRotation(60);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
        chart.getStyler().setOverlapped(false);
        if (logY) {
            chart.getStyler().setDefaultSeriesRenderStyle(CategorySeries.CategorySeriesRenderStyle.Scatter);
            chart.getStyler().setMarkerSize(10);
        }
        values.forEach((name, ys) -> chart.addSeries(name, rows, ys.stream().map(v -> Double.isFinite(v) ? v : null).toList()));
        CategorySeries line = chart.addSeries(referenceName, rows, rows.stream().map(r -> reference).toList());
        line.setChartCategorySeriesRenderStyle(CategorySeries.CategorySeriesRenderStyle.Line);
        line.setMarker(SeriesMarkers.NONE);
        BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
    }

    /** Lines through points, one per series; {@code xs} and {@code ys} per series name. */
    static void lines(Path file, String title, String xLabel, String yLabel, Map<String, double[][]> series,
                      boolean logX, boolean logY) throws IOException {
        XYChart chart = new XYChartBuilder().width(900).height(550).title(title).xAxisTitle(xLabel).yAxisTitle(yLabel).build();
        chart.getStyler().setXAxisLogarithmic(logX);
        chart.getStyler().setYAxisLogarithmic(logY);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
        series.forEach((name, xy) -> {
            XYSeries s = chart.addSeries(name, xy[0], xy[1]);
            s.setMarker(SeriesMarkers.CIRCLE);
        });
        BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
    }
}
