package org.karellab.probe;

import com.oracle.labs.mlrg.olcut.util.Pair;
import org.tribuo.Example;
import org.tribuo.Excuse;
import org.tribuo.Feature;
import org.tribuo.ImmutableFeatureMap;
import org.tribuo.ImmutableOutputInfo;
import org.tribuo.Model;
import org.tribuo.Prediction;
import org.tribuo.classification.Label;
import org.tribuo.provenance.ModelProvenance;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A trained multi-layer perceptron probe: dense layers with ReLU between them and a softmax on
 * top. Inference is plain Java over float arrays, so the model needs no native engine and
 * serialises with Java serialization like other Tribuo models (protobuf serialisation is not
 * supported).
 *
 * <p>Layer {@code l} maps {@code layerSizes[l]} inputs to {@code layerSizes[l+1]} outputs with
 * weights stored input-major: {@code weights[l][i * out + j]}.
 */
public final class MlpModel extends Model<Label> {
    private static final long serialVersionUID = 1L;

    private final int[] layerSizes;
    private final float[][] weights;
    private final float[][] biases;

    MlpModel(String name, ModelProvenance provenance, ImmutableFeatureMap featureIDMap,
             ImmutableOutputInfo<Label> outputIDInfo, int[] layerSizes, float[][] weights, float[][] biases) {
        super(name, provenance, featureIDMap, outputIDInfo, true);
        if (layerSizes[0] != featureIDMap.size() || layerSizes[layerSizes.length - 1] != outputIDInfo.size()) {
            throw new IllegalArgumentException("layer sizes do not match the feature and label domains");
        }
        this.layerSizes = layerSizes.clone();
        this.weights = deepCopy(weights);
        this.biases = deepCopy(biases);
    }

    /** Input width, hidden widths, then the number of classes. */
    public int[] layerSizes() {
        return layerSizes.clone();
    }

    @Override
    public Prediction<Label> predict(Example<Label> example) {
        float[] activation = new float[layerSizes[0]];
        int used = 0;
        for (Feature feature : example) {
            int id = featureIDMap.getID(feature.getName());
            if (id >= 0) {
                activation[id] = (float) feature.getValue();
                used++;
            }
        }
        if (used == 0) {
            throw new IllegalArgumentException("example has no features known to the probe");
        }
        for (int layer = 0; layer < weights.length; layer++) {
            activation = dense(layer, activation, layer < weights.length - 1);
        }
        double[] probabilities = softmax(activation);
        Map<String, Label> scores = new LinkedHashMap<>();
        Label best = null;
        for (int k = 0; k < probabilities.length; k++) {
            Label label = new Label(outputIDInfo.getOutput(k).getLabel(), probabilities[k]);
            scores.put(label.getLabel(), label);
            if (best == null || probabilities[k] > best.getScore()) {
                best = label;
            }
        }
        return new Prediction<>(best, scores, used, example, true);
    }

    private float[] dense(int layer, float[] input, boolean relu) {
        int out = layerSizes[layer + 1];
        float[] w = weights[layer];
        float[] result = biases[layer].clone();
        for (int i = 0; i < input.length; i++) {
            float xi = input[i];
            if (xi != 0f) {
                int offset = i * out;
                for (int j = 0; j < out; j++) {
                    result[j] += xi * w[offset + j];
                }
            }
        }
        if (relu) {
            for (int j = 0; j < out; j++) {
                result[j] = Math.max(result[j], 0f);
            }
        }
        return result;
    }

    private static double[] softmax(float[] logits) {
        double max = Double.NEGATIVE_INFINITY;
        for (float v : logits) {
            max = Math.max(max, v);
        }
        double[] p = new double[logits.length];
        double sum = 0;
        for (int k = 0; k < logits.length; k++) {
            p[k] = Math.exp(logits[k] - max);
            sum += p[k];
        }
        for (int k = 0; k < p.length; k++) {
            p[k] /= sum;
        }
        return p;
    }

    /** Not computed for MLP probes: returns an empty map. */
    @Override
    public Map<String, List<Pair<String, Double>>> getTopFeatures(int n) {
        return Collections.emptyMap();
    }

    /** Not computed for MLP probes: returns empty. */
    @Override
    public Optional<Excuse<Label>> getExcuse(Example<Label> example) {
        return Optional.empty();
    }

    @Override
    protected MlpModel copy(String newName, ModelProvenance newProvenance) {
        return new MlpModel(newName, newProvenance, featureIDMap, outputIDInfo, layerSizes, weights, biases);
    }

    private static float[][] deepCopy(float[][] arrays) {
        float[][] copy = new float[arrays.length][];
        for (int i = 0; i < arrays.length; i++) {
            copy[i] = arrays[i].clone();
        }
        return copy;
    }
}
