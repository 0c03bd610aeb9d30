package org.rnn4j.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.rnn4j.core.Parameter;
import org.rnn4j.core.Tensor;
import org.rnn4j.core.io.Json;
import org.rnn4j.spi.Options;
import org.rnn4j.spi.Registries;
import org.rnn4j.spi.optim.LearningRateSchedule;
import org.rnn4j.spi.optim.Optimizer;
import org.rnn4j.spi.training.GradientTransform;

/**
 * The training plugins against what PyTorch 1.13 computes on the same inputs: every optimizer over
 * five steps at changing rates (parameters after each step), the learning-rate schedules, clipping
 * and the losses with their gradients. The numbers come from {@code goldens/make_training_goldens.py}
 * beside the JSON file; float32 results agree to a few units in the last place.
 */
class PyTorchTrainingGoldensTest {

    /** 4 float32 ulps at 1, relative, plus an absolute floor for values near zero. */
    private static final double RELATIVE = 5e-7;
    private static final double ABSOLUTE = 1e-7;

    private static final Map<?, ?> GOLDENS = load();

    private static Map<?, ?> load() {
        try (InputStream in = PyTorchTrainingGoldensTest.class.getResourceAsStream("/goldens/training-goldens.json")) {
            if (in == null) {
                throw new IllegalStateException("goldens/training-goldens.json is not on the test class path");
            }
            return (Map<?, ?>) Json.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException | Json.JsonException e) {
            throw new IllegalStateException("cannot read goldens/training-goldens.json: " + e.getMessage(), e);
        }
    }

    private static List<?> list(Object value) {
        return (List<?>) value;
    }

    private static float[] floats(Object values) {
        List<?> l = list(values);
        float[] out = new float[l.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = ((BigDecimal) l.get(i)).floatValue();
        }
        return out;
    }

    private static int[] ints(Object values) {
        List<?> l = list(values);
        int[] out = new int[l.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = ((BigDecimal) l.get(i)).intValueExact();
        }
        return out;
    }

    private static Options options(Object map) {
        Map<String, String> o = new java.util.LinkedHashMap<>();
        ((Map<?, ?>) map).forEach((k, v) -> o.put((String) k, (String) v));
        return Options.of(o);
    }

    private static void close(String what, double want, double got) {
        assertTrue(Math.abs(got - want) <= ABSOLUTE + RELATIVE * Math.abs(want),
                what + ": rnn4j " + got + ", PyTorch " + want);
    }

    private static void close(String what, float[] want, float[] got) {
        assertEquals(want.length, got.length, what + ": length");
        for (int i = 0; i < want.length; i++) {
            close(what + " [" + i + "]", want[i], got[i]);
        }
    }

    /** The shared parameters at their initial values, gradients zero. */
    private static List<Parameter> parameters() {
        List<?> shapes = list(GOLDENS.get("shapes"));
        List<?> initial = list(GOLDENS.get("initial"));
        List<Parameter> params = new ArrayList<>();
        for (int i = 0; i < shapes.size(); i++) {
            params.add(new Parameter("p" + i, Tensor.wrap(floats(initial.get(i)), ints(shapes.get(i)))));
        }
        return params;
    }

    private static void setGradients(List<Parameter> params, Object grads, float scale) {
        List<?> g = list(grads);
        for (int i = 0; i < params.size(); i++) {
            float[] values = floats(g.get(i));
            for (int j = 0; j < values.length; j++) {
                params.get(i).grad().data()[j] = scale * values[j];
            }
        }
    }

    @TestFactory
    Stream<DynamicTest> optimizersTakeTheStepsPyTorchTakes() {
        return replays("after", new int[list(GOLDENS.get("shapes")).size()]);
    }

    @TestFactory
    Stream<DynamicTest> aParameterThatJoinsLateCountsItsOwnSteps() {
        return replays("after_late", ints(GOLDENS.get("late_joins")));
    }

    /**
     * Every optimizer case over the golden steps, parameter {@code i} taking part from step
     * {@code joins[i]} on, against the parameters PyTorch had after each step ({@code afterKey}).
     */
    private static Stream<DynamicTest> replays(String afterKey, int[] joins) {
        List<?> rates = list(GOLDENS.get("rates"));
        List<?> grads = list(GOLDENS.get("grads"));
        return list(GOLDENS.get("optimizers")).stream().map(c -> {
            Map<?, ?> caze = (Map<?, ?>) c;
            String name = caze.get("name") + " " + caze.get("options") + ", joining at steps " + Arrays.toString(joins);
            return DynamicTest.dynamicTest(name, () -> {
                Optimizer opt = Registries.optimizers().get((String) caze.get("name")).create(options(caze.get("options")));
                List<Parameter> params = parameters();
                List<?> after = list(caze.get(afterKey));
                for (int step = 0; step < after.size(); step++) {
                    setGradients(params, grads.get(step), 1f);
                    List<Parameter> taking = new ArrayList<>();
                    for (int i = 0; i < params.size(); i++) {
                        if (joins[i] <= step) {
                            taking.add(params.get(i));
                        }
                    }
                    opt.step(taking, ((BigDecimal) rates.get(step)).doubleValue());
                    List<?> want = list(after.get(step));
                    for (int i = 0; i < params.size(); i++) {
                        close(name + ", step " + (step + 1) + ", " + params.get(i).name(), floats(want.get(i)),
                                params.get(i).value().data());
                    }
                }
            });
        });
    }

    @TestFactory
    Stream<DynamicTest> schedulesGiveTheRatesOfPyTorchsSchedulers() {
        return list(GOLDENS.get("schedules")).stream().map(c -> {
            Map<?, ?> caze = (Map<?, ?>) c;
            String name = caze.get("name") + " " + caze.get("options");
            return DynamicTest.dynamicTest(name, () -> {
                LearningRateSchedule schedule = Registries.learningRateSchedules().get((String) caze.get("name"))
                        .create(options(caze.get("options")));
                double base = ((BigDecimal) caze.get("base")).doubleValue();
                List<?> want = list(caze.get("rates"));
                // Past its total the cosine schedule holds its minimum, where PyTorch's climbs back.
                int compared = caze.get("name").equals("cosine")
                        ? Integer.parseInt((String) ((Map<?, ?>) caze.get("options")).get("total")) + 1 : want.size();
                for (int step = 0; step < compared; step++) {
                    double rate = schedule.rate(base, step, 0);
                    double expected = ((BigDecimal) want.get(step)).doubleValue();
                    assertTrue(Math.abs(rate - expected) <= 1e-12 * Math.abs(expected),
                            name + ", step " + step + ": rnn4j " + rate + ", PyTorch " + expected);
                }
            });
        });
    }

    @TestFactory
    Stream<DynamicTest> clippingScalesAsPyTorchDoes() {
        Map<?, ?> clipping = (Map<?, ?>) GOLDENS.get("clipping");
        Object grads = list(GOLDENS.get("grads")).getFirst();
        return clipping.entrySet().stream().map(e -> {
            String key = (String) e.getKey();
            Map<?, ?> want = (Map<?, ?>) e.getValue();
            return DynamicTest.dynamicTest(key, () -> {
                String[] plugin = key.split(" ");
                String[] option = plugin[1].split("=");
                GradientTransform clip = Registries.gradientTransforms().get(plugin[0])
                        .create(Options.of(option[0], option[1]));
                List<Parameter> params = parameters();
                setGradients(params, grads, ((BigDecimal) want.get("scale")).floatValue());
                GradientTransform.GradientReport report = clip.apply(params);
                List<?> wantGrads = list(want.get("grads"));
                for (int i = 0; i < params.size(); i++) {
                    close(key + ", gradient of " + params.get(i).name(), floats(wantGrads.get(i)),
                            params.get(i).grad().data());
                }
                if (want.get("norm") != null) {
                    close(key + ", norm before", ((BigDecimal) want.get("norm")).doubleValue(), report.normBefore());
                }
            });
        });
    }

    @TestFactory
    Stream<DynamicTest> lossesAndTheirGradientsAreThoseOfPyTorch() {
        return list(GOLDENS.get("losses")).stream().map(c -> {
            Map<?, ?> caze = (Map<?, ?>) c;
            String name = caze.get("kind") + (caze.containsKey("smoothing") ? " smoothing " + caze.get("smoothing") : "");
            return DynamicTest.dynamicTest(name, () -> {
                Tensor prediction = Tensor.wrap(floats(caze.get("prediction")), ints(caze.get("shape")));
                Losses.Loss loss = switch ((String) caze.get("kind")) {
                    case "cross-entropy" -> Losses.crossEntropy(prediction, ints(caze.get("labels")),
                            ((BigDecimal) caze.get("ignore")).intValueExact(), ((BigDecimal) caze.get("smoothing")).doubleValue());
                    case "mse" -> Losses.mse(prediction, target(caze));
                    case "mae" -> Losses.mae(prediction, target(caze));
                    case "huber" -> Losses.huber(prediction, target(caze), ((BigDecimal) caze.get("delta")).doubleValue());
                    default -> throw new IllegalStateException("unknown loss " + caze.get("kind"));
                };
                close(name + ", loss", ((BigDecimal) caze.get("loss")).doubleValue(), loss.value());
                close(name + ", gradient", floats(caze.get("gradient")), loss.gradient().data());
            });
        });
    }

    private static Tensor target(Map<?, ?> caze) {
        return Tensor.wrap(floats(caze.get("target")), ints(caze.get("shape")));
    }

    @Test
    void theGoldensCameFromPyTorch() {
        assertTrue(((String) GOLDENS.get("torch")).startsWith("1.13"), "made with PyTorch " + GOLDENS.get("torch"));
        assertEquals(12, list(GOLDENS.get("optimizers")).size());
    }
}
