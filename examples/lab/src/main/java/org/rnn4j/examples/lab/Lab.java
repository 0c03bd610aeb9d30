package org.rnn4j.examples.lab;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.rnn4j.core.Parameter;
import org.rnn4j.core.Tensor;
import org.rnn4j.core.kernel.Kernels;
import org.rnn4j.nn.Dense;
import org.rnn4j.nn.Recurrent;
import org.rnn4j.nn.RecurrentOutput;
import org.rnn4j.spi.Options;
import org.rnn4j.spi.Registries;
import org.rnn4j.spi.optim.Optimizer;

/**
 * The rnn4j lab. For now one lab: a many-to-one LSTM that forecasts the next month of the
 * AirPassengers series from the previous twelve, trained on 1949-1958 and evaluated one step ahead
 * on 1959-1960 against the seasonal-naive forecast (the same month a year earlier).
 */
public final class Lab {

    private static final int WINDOW = 12;
    private static final int TEST_MONTHS = 24;

    private Lab() {
    }

    /** Runs the lab; prints the training loss as it falls and the held-out error next to its baseline. */
    public static void main(String[] args) throws IOException {
        if (args.length > 0) {
            System.err.println("usage: rnn4j lab   (the lab takes no arguments yet)");
            System.exit(2);
        }
        Kernels kernels = Kernels.get();
        System.out.printf(Locale.ROOT, "rnn4j lab: LSTM forecast of monthly airline passengers (Box & Jenkins, 1949-1960)%n");
        System.out.printf(Locale.ROOT, "kernels: %s (%d-bit vectors, up to %d threads)%n",
                kernels.name(), kernels.vectorBitSize(), kernels.maxThreads());
        double[] series = readSeries("data/airpassengers.csv");
        double[] logs = new double[series.length];
        for (int i = 0; i < series.length; i++) {
            logs[i] = Math.log(series[i]);
        }
        int trainEnd = series.length - TEST_MONTHS;
        // Inputs are log-levels relative to the window's last month, so the model learns the shape of
        // a year, not the level; the scale is fitted on the training months only.
        double scale = trainingScale(logs, trainEnd);
        Windows train = windows(logs, WINDOW, trainEnd, scale);

        Recurrent lstm = Recurrent.builder("lstm").inputSize(1).hiddenSize(32).seed(7).build();
        Dense head = new Dense(32, 1, 8);
        List<Parameter> params = new ArrayList<>(lstm.parameters());
        params.addAll(head.parameters());
        Optimizer adam = Registries.optimizers().get("adam").create(Options.empty());
        int epochs = 300;
        for (int epoch = 1; epoch <= epochs; epoch++) {
            params.forEach(Parameter::zeroGrad);
            RecurrentOutput out = lstm.forward(train.x, null, null, true);
            Dense.Output pred = head.forward(out.last());
            int n = train.y.size();
            Tensor dPred = Tensor.zeros(n, 1);
            double mse = 0;
            for (int i = 0; i < n; i++) {
                double err = pred.value().data()[i] - train.y.data()[i];
                mse += err * err / n;
                dPred.data()[i] = (float) (2 * err / n);
            }
            out.backward(null, pred.backward(dPred), null);
            adam.step(params, 0.005);
            if (epoch == 1 || epoch % 30 == 0) {
                System.out.printf(Locale.ROOT, "epoch %3d  train MSE %.5f%n", epoch, mse);
            }
        }
        double lstmSq = 0;
        double naiveSq = 0;
        for (int t = trainEnd; t < series.length; t++) {
            Tensor x = Tensor.zeros(1, WINDOW, 1);
            for (int j = 0; j < WINDOW; j++) {
                x.data()[j] = (float) ((logs[t - WINDOW + j] - logs[t - 1]) / scale);
            }
            float step = head.forward(lstm.forward(x).last()).value().data()[0];
            double forecast = Math.exp(logs[t - 1] + step * scale);
            lstmSq += Math.pow(forecast - series[t], 2);
            naiveSq += Math.pow(series[t - 12] - series[t], 2);
        }
        System.out.printf(Locale.ROOT, "held-out 1959-1960, one month ahead, RMSE in thousands of passengers:%n");
        System.out.printf(Locale.ROOT, "  LSTM            %6.1f%n", Math.sqrt(lstmSq / TEST_MONTHS));
        System.out.printf(Locale.ROOT, "  seasonal naive  %6.1f%n", Math.sqrt(naiveSq / TEST_MONTHS));
    }

    private record Windows(Tensor x, Tensor y) {
    }

    /** Every window of {@code width} months ending before {@code end}, with the next month as target. */
    private static Windows windows(double[] logs, int width, int end, double scale) {
        int count = end - width;
        Tensor x = Tensor.zeros(count, width, 1);
        Tensor y = Tensor.zeros(count, 1);
        for (int w = 0; w < count; w++) {
            double last = logs[w + width - 1];
            for (int j = 0; j < width; j++) {
                x.data()[w * width + j] = (float) ((logs[w + j] - last) / scale);
            }
            y.data()[w] = (float) ((logs[w + width] - last) / scale);
        }
        return new Windows(x, y);
    }

    /** Standard deviation of month-to-month log changes over the training months. */
    private static double trainingScale(double[] logs, int end) {
        double sum = 0;
        double sq = 0;
        for (int i = 1; i < end; i++) {
            double d = logs[i] - logs[i - 1];
            sum += d;
            sq += d * d;
        }
        int n = end - 1;
        double mean = sum / n;
        return Math.sqrt(sq / n - mean * mean);
    }

    private static double[] readSeries(String resource) throws IOException {
        List<Double> values = new ArrayList<>();
        try (InputStream in = Lab.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("bundled data file " + resource + " is missing from the lab module");
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String header = r.readLine();
            String line;
            int lineNo = 1;
            while ((line = r.readLine()) != null) {
                lineNo++;
                String[] cells = line.split(",");
                if (cells.length != 2) {
                    throw new IOException(resource + " line " + lineNo + ": expected 2 columns (" + header + "), found "
                            + cells.length);
                }
                values.add(Double.parseDouble(cells[1]));
            }
        }
        return values.stream().mapToDouble(Double::doubleValue).toArray();
    }
}
