package org.karellab.probe;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.Parameter;
import ai.djl.nn.norm.Dropout;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.djl.util.Pair;
import com.oracle.labs.mlrg.olcut.config.Config;
import com.oracle.labs.mlrg.olcut.provenance.ListProvenance;
import com.oracle.labs.mlrg.olcut.provenance.Provenance;
import com.oracle.labs.mlrg.olcut.provenance.primitives.DoubleProvenance;
import com.oracle.labs.mlrg.olcut.provenance.primitives.IntProvenance;
import org.karellab.world.KarelException;
import org.tribuo.Dataset;
import org.tribuo.Output;
import org.tribuo.Trainer;
import org.tribuo.classification.Label;
import org.tribuo.provenance.ModelProvenance;
import org.tribuo.provenance.TrainerProvenance;
import org.tribuo.provenance.impl.TrainerProvenanceImpl;
import org.tribuo.regression.Regressor;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A probe trained as a small DJL network: the training loop written once (like Tribuo's
 * {@code AbstractSGDTrainer}); subclasses give only the network, by {@link #network}.
 *
 * <p>One fit:
 * <ol>
 *   <li>inputs are standardised (mean 0, sd 1 per feature) with statistics of the training rows;
 *       the statistics are part of the model and applied unchanged to any row it predicts;</li>
 *   <li>a seeded random {@code heldOutFraction} of the TRAINING rows (at least one, and never all) is
 *       held out for early stopping (never the validation or test split);</li>
 *   <li>mini-batch AdamW (decoupled weight decay, applied to weights only: biases and
 *       normalisation gains and shifts are not decayed), dropout as the network places it, the
 *       rows reshuffled every epoch, for at most {@code epochs} epochs;</li>
 *   <li>after every epoch the held-out rows are scored (accuracy for a {@link Label} probe, R^2 for a
 *       {@link Regressor} probe) and their mean loss computed; the model keeps the parameters of the
 *       best-scoring epoch (lower held-out loss breaks ties). An epoch makes progress when its score
 *       beats every earlier epoch's, or its loss is more than {@value #MIN_LOSS_PROGRESS} (relative)
 *       below the loss at the last progress: a plateau of accuracy over a still falling loss keeps
 *       training (the argmax may be about to move; small data take few steps per epoch), a loss that
 *       only creeps down or rises does not. Training stops after {@code patience} epochs without
 *       progress.</li>
 * </ol>
 * The epochs run, the best epoch, its held-out score and loss, the training score and the held-out
 * score of every epoch are in the model's instance provenance (keys below) and in
 * {@link ProbeNetworkModel#fit()}.
 *
 * <p>The model predicts by running the same {@link #network} (dropout off) on DJL, so there is one
 * definition of each architecture; the trainer object is kept in the model for this, which is why
 * it is {@link Serializable} and why a subclass's fields must be too.
 *
 * <p>A trainer is a {@code Trainer<Label>}; {@link #regressor()} views the same network with a
 * regression head (mean squared error) as a {@code Trainer<Regressor>}.
 *
 * <p>Determinism: a trainer seeded alike, trained on the same rows with the same number of libtorch
 * threads, gives the same model. Weight initialisation and dropout draw from libtorch's global
 * generator, reseeded at the start of every fit; training holds a JVM-wide lock (libtorch allows one
 * gradient collector at a time), so fits run one after another.
 *
 * <p>A new architecture is a subclass with a {@code network} method, e.g. a GELU MLP with LayerNorm:
 * <pre>{@code
 * class GeluMlp extends ProbeNetworkTrainer {
 *     GeluMlp(Settings settings) { super(settings); }
 *     protected Block network(int inputs, int outputs) {
 *         return new SequentialBlock()
 *                 .add(Linear.builder().setUnits(256).build())
 *                 .add(LayerNorm.builder().build())
 *                 .add(Activation.geluBlock())
 *                 .add(dropoutBlock())
 *                 .add(Linear.builder().setUnits(outputs).build());
 *     }
 * }
 * }</pre>
 */
public abstract class ProbeNetworkTrainer implements Trainer<Label>, Serializable {
    private static final long serialVersionUID = 1L;

    /** System property naming the DJL device for probe training, e.g. {@code gpu}; default CPU. */
    public static final String DEVICE_PROPERTY = "karellab.probe.device";
    /**
     * System property: libtorch intra-op threads while a probe network trains and predicts, e.g.
     * {@code 1} (default: the engine's setting); results may depend on the count. On a machine whose
     * cores are shared, start the JVM with the environment variable {@code OMP_WAIT_POLICY=PASSIVE}:
     * with libtorch's default (spinning) OpenMP threads, an MLP probe on 2 threads was measured 20
     * to 60 times slower (wall clock) than with passive waiting when the load average was 12 on 2 cores.
     */
    public static final String THREADS_PROPERTY = "karellab.probe.threads";
    /** Instance provenance: epochs trained. */
    public static final String EPOCHS_RUN = "epochs-run";
    /** Instance provenance: the epoch whose parameters the model keeps (1-based). */
    public static final String BEST_EPOCH = "best-epoch";
    /** Instance provenance: held-out score (accuracy or R^2) of the best epoch. */
    public static final String HELD_OUT_SCORE = "held-out-score";
    /** Instance provenance: held-out mean loss of the best epoch. */
    public static final String HELD_OUT_LOSS = "held-out-loss";
    /** Instance provenance: held-out score of every epoch run. */
    public static final String HELD_OUT_CURVE = "held-out-curve";
    /** Instance provenance: score (accuracy or R^2) of the model on the rows it took gradient steps on. */
    public static final String TRAIN_SCORE = "train-score";
    /** Instance provenance: rows used for gradient steps and rows held out. */
    public static final String FIT_ROWS = "fit-rows";
    public static final String HELD_OUT_ROWS = "held-out-rows";

    /** Relative drop of the held-out loss, since the last progress, that counts as progress for early stopping. */
    public static final double MIN_LOSS_PROGRESS = 0.01;
    /** Rows per forward pass when scoring or predicting. */
    static final int EVAL_CHUNK = 4096;
    private static final Object GRADIENT_LOCK = new Object();

    @Config(description = "Maximum passes over the training rows.")
    private int epochs = 200;
    @Config(description = "AdamW learning rate.")
    private double learningRate = 1e-3;
    @Config(description = "AdamW decoupled weight decay, on weights only (not biases or norms).")
    private double weightDecay = 0.0;
    @Config(description = "Dropout rate of the network's dropout blocks (0 disables them).")
    private double dropout = 0.0;
    @Config(description = "Rows per gradient step.")
    private int batchSize = 256;
    @Config(description = "Fraction of the TRAINING rows held out for early stopping; 0 keeps the last epoch.")
    private double heldOutFraction = 0.1;
    @Config(description = "Epochs without held-out improvement before stopping.")
    private int patience = 10;
    @Config(description = "Seed for the held-out split, shuffling, initialisation and dropout.")
    private long seed = Trainer.DEFAULT_SEED;

    private transient SplittableRandom rng;
    private int invocationCount = 0;

    /**
     * The hyper-parameters every probe network shares, built DJL style:
     * {@code Settings.defaults(seed).optLearningRate(0.02).optDropout(0.2)}.
     *
     * @param epochs maximum passes over the training rows
     * @param learningRate AdamW learning rate
     * @param weightDecay decoupled weight decay on weights (not biases or norms)
     * @param dropout rate of the network's {@link #dropoutBlock()}s
     * @param batchSize rows per gradient step
     * @param heldOutFraction fraction of the training rows held out for early stopping (0: none, keep the last epoch)
     * @param patience epochs without held-out improvement before stopping
     * @param seed seed of the held-out split, shuffling, initialisation and dropout
     */
    public record Settings(int epochs, double learningRate, double weightDecay, double dropout, int batchSize,
                           double heldOutFraction, int patience, long seed) implements Serializable {

        /** 200 epochs, AdamW 1e-3 without decay or dropout, batch 256, 10% held out, patience 10. */
        public static Settings defaults(long seed) {
            return new Settings(200, 1e-3, 0.0, 0.0, 256, 0.1, 10, seed);
        }

        public Settings optEpochs(int value) {
            return new Settings(value, learningRate, weightDecay, dropout, batchSize, heldOutFraction, patience, seed);
        }

        public Settings optLearningRate(double value) {
            return new Settings(epochs, value, weightDecay, dropout, batchSize, heldOutFraction, patience, seed);
        }

        public Settings optWeightDecay(double value) {
            return new Settings(epochs, learningRate, value, dropout, batchSize, heldOutFraction, patience, seed);
        }

        public Settings optDropout(double value) {
            return new Settings(epochs, learningRate, weightDecay, value, batchSize, heldOutFraction, patience, seed);
        }

        public Settings optBatchSize(int value) {
            return new Settings(epochs, learningRate, weightDecay, dropout, value, heldOutFraction, patience, seed);
        }

        public Settings optHeldOutFraction(double value) {
            return new Settings(epochs, learningRate, weightDecay, dropout, batchSize, value, patience, seed);
        }

        public Settings optPatience(int value) {
            return new Settings(epochs, learningRate, weightDecay, dropout, batchSize, heldOutFraction, value, seed);
        }

        public Settings optSeed(long value) {
            return new Settings(epochs, learningRate, weightDecay, dropout, batchSize, heldOutFraction, patience, value);
        }

        /** A short name for candidate lists, e.g. {@code lr=0.001,wd=0.2,dropout=0.2}. */
        public String describe() {
            return "lr=" + learningRate + ",wd=" + weightDecay + ",dropout=" + dropout;
        }
    }

    /** For OLCUT: settings come from {@code @Config} fields, then {@link #postConfig()}. */
    protected ProbeNetworkTrainer() {}

    protected ProbeNetworkTrainer(Settings settings) {
        epochs = settings.epochs();
        learningRate = settings.learningRate();
        weightDecay = settings.weightDecay();
        dropout = settings.dropout();
        batchSize = settings.batchSize();
        heldOutFraction = settings.heldOutFraction();
        patience = settings.patience();
        seed = settings.seed();
        checkSettings();
    }

    /**
     * The network mapping standardised inputs {@code (B, inputs)} to outputs {@code (B, outputs)}
     * (logits for classification, standardised targets for regression). Called once per fit and
     * once per prediction batch; it must build the same architecture every time. Use
     * {@link #dropoutBlock()} where dropout belongs.
     */
    protected abstract Block network(int inputs, int outputs);

    /** A dropout block at this trainer's rate, or the identity when the rate is 0. */
    protected final Block dropoutBlock() {
        return dropout > 0 ? Dropout.builder().optRate((float) dropout).build() : Blocks.identityBlock();
    }

    /** This trainer's shared hyper-parameters. */
    public final Settings settings() {
        return new Settings(epochs, learningRate, weightDecay, dropout, batchSize, heldOutFraction, patience, seed);
    }

    /**
     * Checks the hyper-parameters (OLCUT calls this after configuring). A subclass with its own
     * hyper-parameters overrides it, calls {@code super.postConfig()}, and calls it at the end of
     * its constructors.
     */
    @Override
    public void postConfig() {
        checkSettings();
    }

    private void checkSettings() {
        require(epochs > 0, "epochs", "must be positive", epochs);
        require(learningRate > 0 && Double.isFinite(learningRate), "learningRate", "must be positive", learningRate);
        require(weightDecay >= 0 && Double.isFinite(weightDecay), "weightDecay", "must be non-negative", weightDecay);
        require(dropout >= 0 && dropout < 1, "dropout", "must be in [0, 1)", dropout);
        require(batchSize > 0, "batchSize", "must be positive", batchSize);
        require(heldOutFraction >= 0 && heldOutFraction < 1, "heldOutFraction", "must be in [0, 1)", heldOutFraction);
        require(patience > 0, "patience", "must be positive", patience);
        rng = new SplittableRandom(seed);
    }

    /** Throws a {@link KarelException} {@code Class: field must ..., got value} unless {@code ok}. */
    protected final void require(boolean ok, String field, String rule, Object value) {
        if (!ok) {
            throw new KarelException(getClass().getSimpleName() + ": " + field + " " + rule + ", got " + value);
        }
    }

    /**
     * Applies {@value #THREADS_PROPERTY} if set (or {@code restore} when positive) to libtorch and
     * returns the thread count in force before; without the property it does nothing and returns 0.
     */
    static int threads(int restore) {
        String wanted = System.getProperty(THREADS_PROPERTY);
        if (wanted == null || wanted.isBlank()) {
            return 0;
        }
        Engine.getInstance(); // loads libtorch before the JNI calls below
        int before = JniUtils.getNumThreads();
        int threads = restore > 0 ? restore : parseThreads(wanted);
        if (threads != before) {
            JniUtils.setNumThreads(threads);
        }
        return before;
    }

    private static int parseThreads(String value) {
        try {
            int threads = Integer.parseInt(value.trim());
            if (threads > 0) {
                return threads;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new KarelException(THREADS_PROPERTY + ": expected a positive thread count, got '" + value + "'");
    }

    /** The one place the probe training device is chosen: {@value #DEVICE_PROPERTY}, else CPU. */
    public static Device device() {
        String name = System.getProperty(DEVICE_PROPERTY);
        return name == null || name.isBlank() ? Device.cpu() : Device.fromName(name);
    }

    @Override
    public ProbeNetworkModel<Label> train(Dataset<Label> examples) {
        return train(examples, Map.of(), INCREMENT_INVOCATION_COUNT);
    }

    @Override
    public ProbeNetworkModel<Label> train(Dataset<Label> examples, Map<String, Provenance> runProvenance) {
        return train(examples, runProvenance, INCREMENT_INVOCATION_COUNT);
    }

    @Override
    public ProbeNetworkModel<Label> train(Dataset<Label> examples, Map<String, Provenance> runProvenance, int invocationCount) {
        return fit(ProbeMatrix.of(examples), examples, runProvenance, invocationCount, null);
    }

    /** Trains on rows already converted to a dense matrix (e.g. by {@link ProbeFit} once for every candidate). */
    <T extends Output<T>> ProbeNetworkModel<T> train(ProbeMatrix rows, Dataset<T> examples) {
        return fit(rows, examples, Map.of(), INCREMENT_INVOCATION_COUNT, null);
    }

    /** This network as a {@code Trainer<Regressor>}: the same loop with a mean-squared-error head. */
    public Trainer<Regressor> regressor() {
        return new RegressionProbeTrainer(this);
    }

    /**
     * One fit. {@code trainerProvenance} is that of the Tribuo trainer the caller presents (this
     * trainer, or its regression view); null means this trainer's, taken after the invocation count
     * is set.
     */
    <T extends Output<T>> ProbeNetworkModel<T> fit(ProbeMatrix rows, Dataset<T> examples,
                                                   Map<String, Provenance> runProvenance, int invocationCount,
                                                   TrainerProvenance trainerProvenance) {
        if (examples.size() == 0) {
            throw new IllegalArgumentException("cannot train a probe network on an empty dataset");
        }
        if (rows.width() == 0) {
            throw new IllegalArgumentException("cannot train a probe network on rows without features");
        }
        ProbeHead<T> head = ProbeHead.of(examples);
        SplittableRandom local;
        TrainerProvenance provenance;
        synchronized (this) {
            if (invocationCount != INCREMENT_INVOCATION_COUNT) {
                setInvocationCount(invocationCount);
            }
            local = rng.split();
            provenance = trainerProvenance != null ? trainerProvenance : getProvenance();
            this.invocationCount++;
        }
        Standardiser standardiser = Standardiser.fit(rows.x(), rows.width());
        float[] x = standardiser.apply(rows.x(), rows.width());
        float[] targets = head.targets(examples);
        int n = rows.rows();
        int[] order = shuffled(n, local);
        // At least one row on each side; a single training row cannot be split, so it trains without early stopping.
        int heldOut = heldOutFraction > 0 && n > 1 ? (int) Math.min(n - 1, Math.max(1, Math.round(n * heldOutFraction))) : 0;
        int[] heldOutRows = java.util.Arrays.copyOfRange(order, 0, heldOut);
        int[] fitRows = java.util.Arrays.copyOfRange(order, heldOut, n);

        Fitted fitted;
        synchronized (GRADIENT_LOCK) {
            int engineThreads = threads(0);
            try {
                fitted = run(x, rows.width(), targets, head, fitRows, heldOutRows, local);
            } finally {
                threads(engineThreads);
            }
        }
        float[] fitOutputs = ProbeNetworkModel.forward(this, rows.width(), head.outputs(), standardiser,
                fitted.parameters, rows.x(), fitRows);
        double trainScore = head.score(fitOutputs, targets, fitRows);
        ProbeNetworkModel.Fit summary = new ProbeNetworkModel.Fit(head.scoreName(), fitted.epochsRun, fitted.bestEpoch,
                fitted.heldOutScore, fitted.heldOutLoss, trainScore, fitRows.length,
                java.util.Arrays.stream(heldOutRows).sorted().toArray(), fitted.curve);

        Map<String, Provenance> instance = new HashMap<>(runProvenance);
        instance.put(EPOCHS_RUN, new IntProvenance(EPOCHS_RUN, summary.epochsRun()));
        instance.put(BEST_EPOCH, new IntProvenance(BEST_EPOCH, summary.bestEpoch()));
        instance.put(HELD_OUT_SCORE, new DoubleProvenance(HELD_OUT_SCORE, summary.heldOutScore()));
        instance.put(HELD_OUT_LOSS, new DoubleProvenance(HELD_OUT_LOSS, summary.heldOutLoss()));
        instance.put(TRAIN_SCORE, new DoubleProvenance(TRAIN_SCORE, summary.trainScore()));
        instance.put(FIT_ROWS, new IntProvenance(FIT_ROWS, summary.fitRows()));
        instance.put(HELD_OUT_ROWS, new IntProvenance(HELD_OUT_ROWS, heldOutRows.length));
        List<DoubleProvenance> curve = new ArrayList<>();
        for (double score : summary.heldOutCurve()) {
            curve.add(new DoubleProvenance(HELD_OUT_CURVE, score));
        }
        instance.put(HELD_OUT_CURVE, new ListProvenance<>(curve));
        ModelProvenance modelProvenance = new ModelProvenance(ProbeNetworkModel.class.getName(), OffsetDateTime.now(),
                examples.getProvenance(), provenance, instance);
        return new ProbeNetworkModel<>(getClass().getSimpleName(), modelProvenance, examples.getFeatureIDMap(),
                examples.getOutputIDInfo(), this, head, standardiser, fitted.parameters, summary);
    }

    /** What one run of the loop produced; {@code bestEpoch} is the last epoch without held-out rows. */
    private record Fitted(byte[] parameters, int epochsRun, int bestEpoch, double heldOutScore, double heldOutLoss,
                          double[] curve) {}

    /** The training loop. {@code x} is standardised, row-major {@code (rows, width)}. */
    private <T extends Output<T>> Fitted run(float[] x, int width, float[] targets, ProbeHead<T> head, int[] fitRows,
                                             int[] heldOutRows, SplittableRandom random) {
        try (NDManager manager = NDManager.newBaseManager(device())) {
            Engine engine = manager.getEngine();
            engine.setRandomSeed(random.nextInt());
            Block block = network(width, head.outputs());
            block.initialize(manager, DataType.FLOAT32, new Shape(1, width));
            ParameterStore store = new ParameterStore(manager, false);
            List<Parameter> parameters = new ArrayList<>();
            for (Pair<String, Parameter> p : block.getParameters()) {
                parameters.add(p.getValue());
            }
            // Decoupled decay on weight matrices only: biases and LayerNorm gains/shifts get a decay-free AdamW.
            Optimizer decayed = Optimizer.adamW().optLearningRateTracker(Tracker.fixed((float) learningRate))
                    .optWeightDecays((float) weightDecay).build();
            Optimizer plain = Optimizer.adamW().optLearningRateTracker(Tracker.fixed((float) learningRate))
                    .optWeightDecays(0f).build();

            float[] heldOutX = gather(x, width, heldOutRows);
            int[] shuffledRows = fitRows.clone();
            List<Double> curve = new ArrayList<>();
            byte[] best = null;
            double bestScore = Double.NEGATIVE_INFINITY;
            double bestLoss = Double.POSITIVE_INFINITY;
            int bestEpoch = 0;
            int improvedEpoch = 0; // last epoch that made progress (see the class comment)
            double progressLoss = Double.POSITIVE_INFINITY; // held-out loss at the last progress
            int epoch = 0;
            while (epoch < epochs && (heldOutRows.length == 0 || epoch - improvedEpoch < patience)) {
                epoch++;
                shuffle(shuffledRows, random);
                try (NDManager epochManager = manager.newSubManager()) {
                    NDArray epochX = epochManager.create(gather(x, width, shuffledRows), new Shape(shuffledRows.length, width));
                    for (int start = 0; start < shuffledRows.length; start += batchSize) {
                        int end = Math.min(start + batchSize, shuffledRows.length);
                        try (NDManager step = epochManager.newSubManager()) {
                            NDArray xb = epochX.get(new NDIndex("{}:{}", start, end)); // (B, width)
                            xb.attach(step);
                            NDArray yb = head.targets(step, targets, shuffledRows, start, end);
                            try (GradientCollector collector = engine.newGradientCollector()) {
                                NDArray out = block.forward(store, new NDList(xb), true).singletonOrThrow(); // (B, outputs)
                                collector.backward(head.loss(out, yb));
                            }
                            for (Parameter parameter : parameters) {
                                if (!parameter.requiresGradient()) {
                                    continue;
                                }
                                Optimizer optimizer = parameter.getType() == Parameter.Type.WEIGHT ? decayed : plain;
                                try (NDArray gradient = parameter.getArray().getGradient()) {
                                    optimizer.update(parameter.getId(), parameter.getArray(), gradient);
                                }
                            }
                        }
                    }
                }
                if (heldOutRows.length > 0) {
                    double[] scoreAndLoss = evaluate(manager, block, store, heldOutX, width, targets, heldOutRows, head);
                    curve.add(scoreAndLoss[0]);
                    if (scoreAndLoss[0] > bestScore || scoreAndLoss[1] < progressLoss * (1 - MIN_LOSS_PROGRESS)) {
                        improvedEpoch = epoch;
                        progressLoss = Math.min(progressLoss, scoreAndLoss[1]);
                    }
                    if (scoreAndLoss[0] > bestScore || (scoreAndLoss[0] == bestScore && scoreAndLoss[1] < bestLoss)) {
                        bestScore = scoreAndLoss[0];
                        bestLoss = scoreAndLoss[1];
                        bestEpoch = epoch;
                        best = save(block);
                    }
                }
            }
            if (heldOutRows.length == 0) {
                return new Fitted(save(block), epoch, epoch, Double.NaN, Double.NaN, new double[0]);
            }
            return new Fitted(best, epoch, bestEpoch, bestScore, bestLoss, curve.stream().mapToDouble(Double::doubleValue).toArray());
        }
    }

    /** Held-out score and mean loss, without recording gradients. */
    private static <T extends Output<T>> double[] evaluate(NDManager manager, Block block, ParameterStore store,
                                                           float[] heldOutX, int width, float[] targets,
                                                           int[] heldOutRows, ProbeHead<T> head) {
        boolean gradMode = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try (NDManager eval = manager.newSubManager()) {
            int rows = heldOutRows.length;
            int outputs = head.outputs();
            float[] out = new float[rows * outputs];
            double lossSum = 0;
            for (int start = 0; start < rows; start += EVAL_CHUNK) {
                int end = Math.min(start + EVAL_CHUNK, rows);
                float[] chunk = java.util.Arrays.copyOfRange(heldOutX, start * width, end * width);
                NDArray xb = eval.create(chunk, new Shape(end - start, width));
                NDArray o = block.forward(store, new NDList(xb), false).singletonOrThrow();
                lossSum += head.loss(o, head.targets(eval, targets, heldOutRows, start, end)).getFloat() * (end - start);
                System.arraycopy(o.toFloatArray(), 0, out, start * outputs, (end - start) * outputs);
            }
            return new double[] {head.score(out, targets, heldOutRows), lossSum / rows};
        } finally {
            JniUtils.setGradMode(gradMode);
        }
    }

    private static byte[] save(Block block) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            block.saveParameters(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** Rows {@code rows} of {@code x}, in that order. */
    static float[] gather(float[] x, int width, int[] rows) {
        float[] out = new float[rows.length * width];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(x, rows[i] * width, out, i * width, width);
        }
        return out;
    }

    private static int[] shuffled(int n, SplittableRandom random) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        shuffle(order, random);
        return order;
    }

    private static void shuffle(int[] values, SplittableRandom random) {
        for (int i = values.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int tmp = values[i];
            values[i] = values[j];
            values[j] = tmp;
        }
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

    /** Subclass hyper-parameters for {@link #toString()}, e.g. {@code hiddenSizes=[256]}; empty by default. */
    protected String describeNetwork() {
        return "";
    }

    @Override
    public String toString() {
        String network = describeNetwork();
        return getClass().getSimpleName() + "(" + (network.isEmpty() ? "" : network + ",") + "epochs=" + epochs
                + ",learningRate=" + learningRate + ",weightDecay=" + weightDecay + ",dropout=" + dropout
                + ",batchSize=" + batchSize + ",heldOutFraction=" + heldOutFraction + ",patience=" + patience
                + ",seed=" + seed + ")";
    }

    /** Restores the transient generator after Java deserialization. */
    private void readObject(java.io.ObjectInputStream in) throws IOException, ClassNotFoundException {
        in.defaultReadObject();
        setInvocationCount(invocationCount);
    }
}
