package org.karellab.probe;

import ai.djl.MalformedModelException;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import org.tribuo.Example;
import org.tribuo.Excuse;
import org.tribuo.ImmutableFeatureMap;
import org.tribuo.ImmutableOutputInfo;
import org.tribuo.Model;
import org.tribuo.Output;
import org.tribuo.Prediction;
import org.tribuo.provenance.ModelProvenance;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A trained probe network. Predicts by running its trainer's {@link ProbeNetworkTrainer#network}
 * on DJL with the trained parameters (dropout off), after standardising each row with the
 * training statistics: training and prediction share one definition of the architecture.
 *
 * <p>Predictions are batched: {@code predict(Dataset)} and {@code predict(Iterable)} run one
 * forward pass per {@value ProbeNetworkTrainer#EVAL_CHUNK} rows. The model serialises with Java
 * serialization (parameters in DJL's parameter format, plus the trainer as the network's
 * definition); protobuf serialisation is not supported.
 *
 * @param <T> {@code Label} for a classification probe, {@code Regressor} for a regression probe
 */
public final class ProbeNetworkModel<T extends Output<T>> extends Model<T> {
    private static final long serialVersionUID = 1L;

    private final ProbeNetworkTrainer definition;
    private final ProbeHead<T> head;
    private final Standardiser standardiser;
    private final byte[] parameters;
    private final Fit fit;

    /**
     * How the fit went.
     *
     * @param scoreName {@code accuracy} or {@code r2}
     * @param epochsRun epochs trained
     * @param bestEpoch the epoch whose parameters the model keeps (1-based)
     * @param heldOutScore held-out score of the best epoch (NaN without held-out rows)
     * @param heldOutLoss held-out mean loss of the best epoch (NaN without held-out rows)
     * @param trainScore score on the rows the model took gradient steps on
     * @param fitRows how many rows the model took gradient steps on
     * @param heldOut the training rows held out for early stopping, as ascending indices into the training dataset
     * @param heldOutCurve held-out score after every epoch
     */
    public record Fit(String scoreName, int epochsRun, int bestEpoch, double heldOutScore, double heldOutLoss,
                      double trainScore, int fitRows, int[] heldOut, double[] heldOutCurve) implements Serializable {
        public Fit {
            heldOut = heldOut.clone();
            heldOutCurve = heldOutCurve.clone();
        }

        @Override
        public int[] heldOut() {
            return heldOut.clone();
        }

        @Override
        public double[] heldOutCurve() {
            return heldOutCurve.clone();
        }
    }

    ProbeNetworkModel(String name, ModelProvenance provenance, ImmutableFeatureMap featureIDMap,
                      ImmutableOutputInfo<T> outputIDInfo, ProbeNetworkTrainer definition, ProbeHead<T> head,
                      Standardiser standardiser, byte[] parameters, Fit fit) {
        super(name, provenance, featureIDMap, outputIDInfo, head instanceof ProbeHead.Classification);
        this.definition = definition;
        this.head = head;
        this.standardiser = standardiser;
        this.parameters = parameters;
        this.fit = fit;
    }

    /** Epochs, best epoch, held-out and training scores of the fit that made this model. */
    public Fit fit() {
        return fit;
    }

    /** Training mean of every input feature (by feature id), as used to standardise rows. */
    public double[] inputMean() {
        return standardiser.mean().clone();
    }

    /** Training standard deviation of every input feature (1 for a constant feature). */
    public double[] inputSd() {
        return standardiser.sd().clone();
    }

    /** The trained parameters by DJL parameter id, e.g. {@code 01Linear_weight}, in network order. */
    public Map<String, float[]> parameters() {
        try (NDManager manager = NDManager.newBaseManager(ProbeNetworkTrainer.device())) {
            Block block = load(definition, featureIDMap.size(), head.outputs(), parameters, manager);
            Map<String, float[]> values = new LinkedHashMap<>();
            for (Pair<String, Parameter> p : block.getParameters()) {
                values.put(p.getKey(), p.getValue().getArray().toFloatArray());
            }
            return values;
        }
    }

    /** The trainer whose {@code network} this model runs. */
    public ProbeNetworkTrainer definition() {
        return definition;
    }

    @Override
    public Prediction<T> predict(Example<T> example) {
        return innerPredict(List.of(example)).get(0);
    }

    @Override
    protected List<Prediction<T>> innerPredict(Iterable<Example<T>> examples) {
        List<Example<T>> rows = new ArrayList<>();
        examples.forEach(rows::add);
        int width = featureIDMap.size();
        float[] x = new float[rows.size() * width];
        int[] used = new int[rows.size()];
        for (int r = 0; r < used.length; r++) {
            used[r] = ProbeMatrix.fill(rows.get(r), featureIDMap, x, r * width);
            if (used[r] == 0) {
                throw new IllegalArgumentException("example " + r + " has no features known to the probe");
            }
        }
        float[] out = outputs(x, null);
        List<Prediction<T>> predictions = new ArrayList<>(used.length);
        for (int r = 0; r < used.length; r++) {
            predictions.add(head.prediction(out, r * head.outputs(), used[r], rows.get(r)));
        }
        return predictions;
    }

    /**
     * Raw network outputs {@code (rows, outputs)} row-major (logits, or standardised regression
     * targets) for the rows of {@code m}; its columns must follow this model's feature map.
     */
    float[] outputs(ProbeMatrix m) {
        if (m.features() != featureIDMap && !sameFeatures(m.features())) {
            throw new IllegalArgumentException("rows follow another feature map than the probe's");
        }
        return outputs(m.x(), null);
    }

    /** The head that reads this model's outputs. */
    ProbeHead<T> head() {
        return head;
    }

    /** Network outputs for rows {@code rows} (all rows when null) of raw row-major {@code x}. */
    float[] outputs(float[] x, int[] rows) {
        return forward(definition, featureIDMap.size(), head.outputs(), standardiser, parameters, x, rows);
    }

    /**
     * The forward pass of training and prediction alike: rows {@code rows} (all when null) of raw
     * row-major {@code x} are standardised, then {@code definition}'s network with {@code parameters}
     * runs on them in chunks without recording gradients; returns {@code (rows, outputs)} row-major.
     */
    static float[] forward(ProbeNetworkTrainer definition, int width, int outputs, Standardiser standardiser,
                           byte[] parameters, float[] x, int[] rows) {
        float[] selected = rows == null ? x.clone() : ProbeNetworkTrainer.gather(x, width, rows);
        standardiser.applyInPlace(selected, width);
        int n = selected.length / width;
        float[] out = new float[n * outputs];
        Engine.getInstance(); // loads libtorch before the JNI calls below
        boolean gradMode = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        int engineThreads = ProbeNetworkTrainer.threads(0);
        try (NDManager manager = NDManager.newBaseManager(ProbeNetworkTrainer.device())) {
            Block block = load(definition, width, outputs, parameters, manager);
            ParameterStore store = new ParameterStore(manager, false);
            for (int start = 0; start < n; start += ProbeNetworkTrainer.EVAL_CHUNK) {
                int end = Math.min(start + ProbeNetworkTrainer.EVAL_CHUNK, n);
                try (NDManager chunk = manager.newSubManager()) {
                    NDArray xb = chunk.create(java.util.Arrays.copyOfRange(selected, start * width, end * width),
                            new Shape(end - start, width)); // (B, width)
                    NDArray o = block.forward(store, new NDList(xb), false).singletonOrThrow(); // (B, outputs)
                    System.arraycopy(o.toFloatArray(), 0, out, start * outputs, (end - start) * outputs);
                }
            }
        } finally {
            ProbeNetworkTrainer.threads(engineThreads);
            JniUtils.setGradMode(gradMode);
        }
        return out;
    }

    /** A fresh network from {@code definition} with {@code parameters} loaded, frozen. */
    private static Block load(ProbeNetworkTrainer definition, int width, int outputs, byte[] parameters,
                              NDManager manager) {
        Block block = definition.network(width, outputs);
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(parameters))) {
            block.loadParameters(manager, in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (MalformedModelException e) {
            throw new IllegalStateException("probe parameters do not fit " + definition + ": " + e.getMessage(), e);
        }
        block.freezeParameters(true);
        return block;
    }

    private boolean sameFeatures(ImmutableFeatureMap other) {
        if (other.size() != featureIDMap.size()) {
            return false;
        }
        for (int id = 0; id < other.size(); id++) {
            if (!other.get(id).getName().equals(featureIDMap.get(id).getName())) {
                return false;
            }
        }
        return true;
    }

    /** Not computed for probe networks: returns an empty map. */
    @Override
    public Map<String, List<com.oracle.labs.mlrg.olcut.util.Pair<String, Double>>> getTopFeatures(int n) {
        return Collections.emptyMap();
    }

    /** Not computed for probe networks: returns empty. */
    @Override
    public Optional<Excuse<T>> getExcuse(Example<T> example) {
        return Optional.empty();
    }

    @Override
    protected ProbeNetworkModel<T> copy(String newName, ModelProvenance newProvenance) {
        return new ProbeNetworkModel<>(newName, newProvenance, featureIDMap, outputIDInfo, definition, head,
                standardiser, parameters, fit);
    }
}
