package org.karellab.probe;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.training.GradientCollector;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import com.oracle.labs.mlrg.olcut.config.Config;
import com.oracle.labs.mlrg.olcut.config.PropertyException;
import com.oracle.labs.mlrg.olcut.provenance.Provenance;
import com.oracle.labs.mlrg.olcut.provenance.primitives.DoubleProvenance;
import com.oracle.labs.mlrg.olcut.provenance.primitives.IntProvenance;
import org.tribuo.Dataset;
import org.tribuo.Example;
import org.tribuo.Feature;
import org.tribuo.ImmutableFeatureMap;
import org.tribuo.ImmutableOutputInfo;
import org.tribuo.Trainer;
import org.tribuo.classification.Label;
import org.tribuo.provenance.ModelProvenance;
import org.tribuo.provenance.TrainerProvenance;
import org.tribuo.provenance.impl.TrainerProvenanceImpl;

import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Trains a multi-layer perceptron probe (dense layers, ReLU, softmax cross-entropy, Adam) and
 * returns an {@link MlpModel}. The paper's probes are {@code hiddenSizes = {256}} (mlp1) and
 * {@code {256, 1024}} (mlp2); an empty {@code hiddenSizes} gives multinomial logistic regression.
 *
 * <p>Training runs on DJL's PyTorch engine on the device chosen by {@link #device()}; weights are
 * initialised and rows shuffled by a Java RNG derived from {@code seed}, so a run is deterministic
 * given the seed, the data and the engine's thread count. DJL's PyTorch engine allows one gradient
 * collector per JVM, so MLP trainings are serialised on a global lock.
 *
 * <p>With {@code earlyStoppingFraction > 0} that fraction of the TRAINING rows is held out; the
 * model keeps the weights of the epoch with the best held-out accuracy and training stops after
 * {@code patience} epochs without improvement. The epochs run, the best epoch and its held-out
 * accuracy are recorded in the model's instance provenance.
 */
public final class MlpTrainer implements Trainer<Label> {
    /** System property naming the DJL device for probe training, e.g. {@code gpu}; default CPU. */
    public static final String DEVICE_PROPERTY = "karellab.probe.device";
    public static final String EPOCHS_RUN = "mlp-epochs-run";
    public static final String BEST_EPOCH = "mlp-best-epoch";
    public static final String HELD_OUT_ACCURACY = "mlp-held-out-accuracy";

    private static final Object GRADIENT_LOCK = new Object();

    @Config(description = "Hidden layer widths from the input side; empty gives logistic regression.")
    private int[] hiddenSizes = {256};
    @Config(description = "Maximum passes over the training rows.")
    private int epochs = 5;
    @Config(description = "Adam learning rate.")
    private double learningRate = 1e-3;
    @Config(description = "Rows per gradient step.")
    private int batchSize = 256;
    @Config(description = "L2 weight decay applied by Adam.")
    private double weightDecay = 0.0;
    @Config(description = "Fraction of the training rows held out to choose the best epoch; 0 keeps the last epoch.")
    private double earlyStoppingFraction = 0.0;
    @Config(description = "Epochs without held-out improvement before stopping (with early stopping).")
    private int patience = 3;
    @Config(description = "Seed for weight initialisation, shuffling and the early-stopping split.")
    private long seed = Trainer.DEFAULT_SEED;

    private SplittableRandom rng;
    private int invocationCount = 0;

    /** For OLCUT. */
    private MlpTrainer() {}

    public MlpTrainer(int[] hiddenSizes, int epochs, double learningRate, int batchSize, double weightDecay,
                      double earlyStoppingFraction, int patience, long seed) {
        this.hiddenSizes = hiddenSizes.clone();
        this.epochs = epochs;
        this.learningRate = learningRate;
        this.batchSize = batchSize;
        this.weightDecay = weightDecay;
        this.earlyStoppingFraction = earlyStoppingFraction;
        this.patience = patience;
        this.seed = seed;
        postConfig();
    }

    /** An MLP with the given hidden widths and the default settings (5 epochs, Adam 1e-3, batch 256, no weight decay or early stopping). */
    public static MlpTrainer withHidden(long seed, int... hiddenSizes) {
        MlpTrainer trainer = new MlpTrainer();
        trainer.hiddenSizes = hiddenSizes.clone();
        trainer.seed = seed;
        trainer.postConfig();
        return trainer;
    }

    @Override
    public void postConfig() {
        for (int width : hiddenSizes) {
            require(width > 0, "hiddenSizes", "hidden widths must be positive: " + Arrays.toString(hiddenSizes));
        }
        require(epochs > 0, "epochs", "epochs must be positive: " + epochs);
        require(learningRate > 0, "learningRate", "learningRate must be positive: " + learningRate);
        require(batchSize > 0, "batchSize", "batchSize must be positive: " + batchSize);
        require(weightDecay >= 0, "weightDecay", "weightDecay must be non-negative: " + weightDecay);
        require(earlyStoppingFraction >= 0 && earlyStoppingFraction < 1, "earlyStoppingFraction",
                "earlyStoppingFraction must be in [0, 1): " + earlyStoppingFraction);
        require(patience > 0, "patience", "patience must be positive: " + patience);
        rng = new SplittableRandom(seed);
    }

    private static void require(boolean ok, String field, String message) {
        if (!ok) {
            throw new PropertyException("", field, message);
        }
    }

    /** The one place the probe training device is chosen: {@value #DEVICE_PROPERTY}, else CPU. */
    public static Device device() {
        String name = System.getProperty(DEVICE_PROPERTY);
        return name == null || name.isBlank() ? Device.cpu() : Device.fromName(name);
    }

    @Override
    public MlpModel train(Dataset<Label> examples) {
        return train(examples, Map.of(), INCREMENT_INVOCATION_COUNT);
    }

    @Override
    public MlpModel train(Dataset<Label> examples, Map<String, Provenance> runProvenance) {
        return train(examples, runProvenance, INCREMENT_INVOCATION_COUNT);
    }

    @Override
    public MlpModel train(Dataset<Label> examples, Map<String, Provenance> runProvenance, int invocationCount) {
        if (examples.size() == 0) {
            throw new IllegalArgumentException("cannot train an MLP probe on an empty dataset");
        }
        SplittableRandom localRng;
        TrainerProvenance trainerProvenance;
        synchronized (this) {
            if (invocationCount != INCREMENT_INVOCATION_COUNT) {
                setInvocationCount(invocationCount);
            }
            localRng = rng.split();
            trainerProvenance = getProvenance();
            this.invocationCount++;
        }
        ImmutableFeatureMap features = examples.getFeatureIDMap();
        ImmutableOutputInfo<Label> labels = examples.getOutputIDInfo();
        int width = features.size();
        int rows = examples.size();
        float[] x = new float[rows * width];
        int[] y = new int[rows];
        int row = 0;
        for (Example<Label> example : examples) {
            for (Feature feature : example) {
                int id = features.getID(feature.getName());
                if (id >= 0) {
                    x[row * width + id] = (float) feature.getValue();
                }
            }
            y[row++] = labels.getID(example.getOutput());
        }
        int[] layerSizes = new int[hiddenSizes.length + 2];
        layerSizes[0] = width;
        System.arraycopy(hiddenSizes, 0, layerSizes, 1, hiddenSizes.length);
        layerSizes[layerSizes.length - 1] = labels.size();

        Fit fit;
        synchronized (GRADIENT_LOCK) {
            fit = fit(x, y, layerSizes, localRng);
        }
        Map<String, Provenance> instance = new HashMap<>(runProvenance);
        instance.put(EPOCHS_RUN, new IntProvenance(EPOCHS_RUN, fit.epochsRun));
        if (fit.bestEpoch > 0) {
            instance.put(BEST_EPOCH, new IntProvenance(BEST_EPOCH, fit.bestEpoch));
            instance.put(HELD_OUT_ACCURACY, new DoubleProvenance(HELD_OUT_ACCURACY, fit.heldOutAccuracy));
        }
        ModelProvenance provenance = new ModelProvenance(MlpModel.class.getName(), OffsetDateTime.now(),
                examples.getProvenance(), trainerProvenance, instance);
        return new MlpModel("mlp" + Arrays.toString(hiddenSizes), provenance, features, labels,
                layerSizes, fit.weights, fit.biases);
    }

    /** Trained parameters; {@code bestEpoch} is 0 without early stopping. */
    private record Fit(float[][] weights, float[][] biases, int epochsRun, int bestEpoch, double heldOutAccuracy) {}

    private Fit fit(float[] x, int[] y, int[] layerSizes, SplittableRandom random) {
        int width = layerSizes[0];
        int classes = layerSizes[layerSizes.length - 1];
        int[] order = new int[y.length];
        Arrays.setAll(order, i -> i);
        shuffle(order, random);
        int heldOut = earlyStoppingFraction > 0 ? (int) Math.max(1, Math.round(y.length * earlyStoppingFraction)) : 0;
        if (heldOut >= y.length) {
            throw new IllegalArgumentException("too few rows (" + y.length + ") to hold out " + earlyStoppingFraction + " for early stopping");
        }
        int[] heldOutRows = Arrays.copyOfRange(order, 0, heldOut);
        int[] trainRows = Arrays.copyOfRange(order, heldOut, order.length);

        try (NDManager manager = NDManager.newBaseManager(device())) {
            int layers = layerSizes.length - 1;
            NDArray[] w = new NDArray[layers];
            NDArray[] b = new NDArray[layers];
            for (int l = 0; l < layers; l++) {
                // PyTorch's nn.Linear default: U(-1/sqrt(fan_in), 1/sqrt(fan_in)) for weights and biases.
                double bound = 1 / Math.sqrt(layerSizes[l]);
                w[l] = manager.create(uniform(layerSizes[l] * layerSizes[l + 1], bound, random), new Shape(layerSizes[l], layerSizes[l + 1]));
                b[l] = manager.create(uniform(layerSizes[l + 1], bound, random), new Shape(layerSizes[l + 1]));
                w[l].setRequiresGradient(true);
                b[l].setRequiresGradient(true);
            }
            Optimizer adam = Optimizer.adam()
                    .optLearningRateTracker(Tracker.fixed((float) learningRate))
                    .optWeightDecays((float) weightDecay)
                    .build();
            float[][] bestW = null;
            float[][] bestB = null;
            int bestEpoch = 0;
            double bestAccuracy = -1;
            int epoch = 0;
            while (epoch < epochs && (heldOut == 0 || epoch - bestEpoch < patience)) {
                epoch++;
                shuffle(trainRows, random);
                for (int start = 0; start < trainRows.length; start += batchSize) {
                    int end = Math.min(start + batchSize, trainRows.length);
                    try (NDManager step = manager.newSubManager()) {
                        NDArray xb = step.create(gatherRows(x, width, trainRows, start, end), new Shape(end - start, width));
                        NDArray targets = step.create(gatherLabels(y, trainRows, start, end)).oneHot(classes);
                        try (GradientCollector collector = manager.getEngine().newGradientCollector()) {
                            NDArray logProbabilities = forward(xb, w, b).logSoftmax(1);
                            collector.backward(logProbabilities.mul(targets).sum().neg().div(end - start));
                        }
                        for (int l = 0; l < layers; l++) {
                            update(adam, "w" + l, w[l]);
                            update(adam, "b" + l, b[l]);
                        }
                    }
                }
                if (heldOut > 0) {
                    double accuracy = accuracy(manager, x, y, width, heldOutRows, w, b);
                    if (accuracy > bestAccuracy) {
                        bestAccuracy = accuracy;
                        bestEpoch = epoch;
                        bestW = toArrays(w);
                        bestB = toArrays(b);
                    }
                }
            }
            return heldOut > 0
                    ? new Fit(bestW, bestB, epoch, bestEpoch, bestAccuracy)
                    : new Fit(toArrays(w), toArrays(b), epoch, 0, Double.NaN);
        }
    }

    private static NDArray forward(NDArray input, NDArray[] w, NDArray[] b) {
        NDArray activation = input;
        for (int l = 0; l < w.length; l++) {
            activation = activation.matMul(w[l]).add(b[l]);
            if (l < w.length - 1) {
                activation = Activation.relu(activation);
            }
        }
        return activation;
    }

    private static void update(Optimizer optimizer, String id, NDArray parameter) {
        try (NDArray gradient = parameter.getGradient()) {
            optimizer.update(id, parameter, gradient);
        }
    }

    private static double accuracy(NDManager manager, float[] x, int[] y, int width, int[] rows, NDArray[] w, NDArray[] b) {
        int correct = 0;
        int chunk = 4096;
        for (int start = 0; start < rows.length; start += chunk) {
            int end = Math.min(start + chunk, rows.length);
            try (NDManager step = manager.newSubManager()) {
                NDArray xb = step.create(gatherRows(x, width, rows, start, end), new Shape(end - start, width));
                long[] predicted = forward(xb, w, b).argMax(1).toLongArray();
                for (int i = start; i < end; i++) {
                    if (predicted[i - start] == y[rows[i]]) {
                        correct++;
                    }
                }
            }
        }
        return (double) correct / rows.length;
    }

    private static float[] gatherRows(float[] x, int width, int[] rows, int start, int end) {
        float[] batch = new float[(end - start) * width];
        for (int i = start; i < end; i++) {
            System.arraycopy(x, rows[i] * width, batch, (i - start) * width, width);
        }
        return batch;
    }

    private static long[] gatherLabels(int[] y, int[] rows, int start, int end) {
        long[] batch = new long[end - start];
        for (int i = start; i < end; i++) {
            batch[i - start] = y[rows[i]];
        }
        return batch;
    }

    private static float[] uniform(int size, double bound, SplittableRandom random) {
        float[] values = new float[size];
        for (int i = 0; i < size; i++) {
            values[i] = (float) random.nextDouble(-bound, bound);
        }
        return values;
    }

    private static void shuffle(int[] values, SplittableRandom random) {
        for (int i = values.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int tmp = values[i];
            values[i] = values[j];
            values[j] = tmp;
        }
    }

    private static float[][] toArrays(NDArray[] parameters) {
        float[][] arrays = new float[parameters.length][];
        for (int i = 0; i < parameters.length; i++) {
            arrays[i] = parameters[i].toFloatArray();
        }
        return arrays;
    }

    @Override
    public int getInvocationCount() {
        return invocationCount;
    }

    @Override
    public synchronized void setInvocationCount(int invocationCount) {
        if (invocationCount < 0) {
            throw new IllegalArgumentException("invocationCount must be non-negative: " + invocationCount);
        }
        rng = new SplittableRandom(seed);
        for (int i = 0; i < invocationCount; i++) {
            rng.split();
        }
        this.invocationCount = invocationCount;
    }

    @Override
    public TrainerProvenance getProvenance() {
        return new TrainerProvenanceImpl(this);
    }

    @Override
    public String toString() {
        return "MlpTrainer(hiddenSizes=" + Arrays.toString(hiddenSizes) + ",epochs=" + epochs
                + ",learningRate=" + learningRate + ",batchSize=" + batchSize + ",weightDecay=" + weightDecay
                + ",earlyStoppingFraction=" + earlyStoppingFraction + ",patience=" + patience + ",seed=" + seed + ")";
    }
}
