package org.rnn4j.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.rnn4j.models.SequenceModel;
import org.rnn4j.nn.Recurrent;
import org.rnn4j.spi.Options;
import org.rnn4j.training.Trainer;
import org.rnn4j.training.data.SequenceBatch;
import org.rnn4j.training.data.Vocabulary;

/** Hyper-parameter sweeps: one local training per Spark task, results as a table. */
class SweepTest {

    private static final List<int[]> DATA = CharModels.sequences(60, 7);

    /** A small language model of the given cell and size, trained for two epochs with a validation tail. */
    private static final Sweep.Trial TRIAL = p -> {
        SequenceModel model = SequenceModel.builder(Recurrent.builder(p.get("cell")).inputSize(6)
                        .hiddenSize(Integer.parseInt(p.get("hidden"))).seed(1).build())
                .vocabulary(CharModels.VOCABULARY, Vocabulary.PAD).outputs(CharModels.VOCABULARY)
                .output(SequenceModel.Output.SEQUENCE).objective(SequenceModel.Objective.CLASSIFICATION).seed(2).build();
        return Trainer.<int[], SequenceBatch>builder(model, CharModels::collate)
                .optimizer("adam", Options.empty()).learningRate(Double.parseDouble(p.get("rate")))
                .batchSize(12).epochs(2).seed(3).validationFraction(0.2).build().fit(DATA);
    };

    @Test
    void gridsCombineEveryValueFirstAxisSlowest() {
        Map<String, List<String>> axes = new LinkedHashMap<>();
        axes.put("cell", List.of("lstm", "gru"));
        axes.put("hidden", List.of("8", "16"));
        assertEquals(List.of(Map.of("cell", "lstm", "hidden", "8"), Map.of("cell", "lstm", "hidden", "16"),
                Map.of("cell", "gru", "hidden", "8"), Map.of("cell", "gru", "hidden", "16")), Sweep.grid(axes));
        var e = assertThrows(IllegalArgumentException.class, () -> Sweep.grid(Map.of("cell", List.of())));
        assertTrue(e.getMessage().contains("axis 'cell' has no value"), e.getMessage());
    }

    @Test
    void aTrialOutOfMemoryIsOneFailedRowAndCausesAreKept() {
        Sweep.Trial trial = p -> {
            if (p.get("hidden").equals("huge")) {
                throw new OutOfMemoryError("Java heap space");
            }
            throw new IllegalStateException("diverged", new java.io.IOException("disk full"));
        };
        List<SweepResult> results = Sweep.run(LocalSpark.context(), List.of(Map.of("hidden", "huge"),
                Map.of("hidden", "8")), trial);
        assertEquals("OutOfMemoryError: Java heap space", results.get(0).error());
        assertEquals("IllegalStateException: diverged; caused by IOException: disk full", results.get(1).error());
    }

    @Test
    void trialsTrainInTasksAsTheyWouldLocallyAndFillATable() throws Exception {
        Map<String, List<String>> axes = new LinkedHashMap<>();
        axes.put("cell", List.of("lstm", "gru"));
        axes.put("hidden", List.of("8"));
        axes.put("rate", List.of("0.05"));
        List<Map<String, String>> trials = new ArrayList<>(Sweep.grid(axes));
        trials.add(Map.of("cell", "lstn", "hidden", "8", "rate", "0.01"));
        List<SweepResult> results = Sweep.run(LocalSpark.context(), trials, TRIAL);

        assertEquals(3, results.size());
        for (int i = 0; i < 2; i++) {
            SweepResult r = results.get(i);
            assertEquals(i, r.trial());
            assertEquals(trials.get(i), r.parameters());
            assertNull(r.error(), r.toString());
            Trainer.History local = TRIAL.train(trials.get(i));
            double bestLocal = Math.min(local.epochs().get(0).validation().loss(), local.epochs().get(1).validation().loss());
            assertEquals(bestLocal, r.validationLoss(), "trial " + i + " repeats the local run exactly");
            assertEquals(local.last().train().loss(), r.trainLoss());
            assertEquals(2, r.epochs());
            assertEquals(8, r.steps());
            double localAccuracy = local.epochs().get(0).validation().loss() <= local.epochs().get(1).validation().loss()
                    ? local.epochs().get(0).validation().accuracy() : local.epochs().get(1).validation().accuracy();
            assertEquals(localAccuracy, r.validationAccuracy(), "trial " + i + ": the best epoch's accuracy");
        }
        assertTrue(results.get(2).error().contains("No cell named 'lstn'"), results.get(2).toString());

        Dataset<Row> table = Sweep.table(LocalSpark.session(), results);
        assertEquals(List.of("trial", "cell", "hidden", "rate", "error", "epochs", "steps", "train_loss",
                "validation_loss", "validation_accuracy", "best_epoch", "seconds"), List.of(table.columns()));
        List<Row> rows = table.collectAsList();
        assertEquals(3, rows.size());
        for (int i = 0; i < rows.size(); i++) {
            SweepResult r = results.get(i);
            Row row = rows.get(i);
            assertEquals(List.of(r.trial(), r.parameters().get("cell"), r.parameters().get("hidden"), r.parameters().get("rate"),
                    r.epochs(), r.steps(), r.trainLoss(), r.validationLoss(), r.bestEpoch()),
                    List.of(row.getInt(0), row.getString(1), row.getString(2), row.getString(3), row.getInt(5),
                            row.getLong(6), row.getDouble(7), row.getDouble(8), row.getInt(10)));
            assertEquals(r.error(), row.getString(4));
        }
    }
}
