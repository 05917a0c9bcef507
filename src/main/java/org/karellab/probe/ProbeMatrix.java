package org.karellab.probe;

import org.tribuo.Dataset;
import org.tribuo.Example;
import org.tribuo.Feature;
import org.tribuo.ImmutableFeatureMap;

/**
 * A Tribuo dataset as one dense row-major float matrix over a fixed feature map, built once and
 * shared by every candidate trained or scored on it (a Tribuo {@code Example} costs a hash lookup
 * and an object per feature; a probe network touches each row hundreds of times).
 *
 * <p>Features absent from the map are ignored and features absent from a row are zero, as in
 * Tribuo's own dense conversion.
 *
 * @param dataset the rows' source
 * @param features the feature map the columns follow (normally the TRAINING dataset's)
 * @param x row-major values, {@code rows * width}: {@code x[r * width + j]} is feature id {@code j} of row {@code r}
 */
public record ProbeMatrix(Dataset<?> dataset, ImmutableFeatureMap features, float[] x) {

    /** The rows of {@code dataset} over its own feature map. */
    static ProbeMatrix of(Dataset<?> dataset) {
        return of(dataset, dataset.getFeatureIDMap());
    }

    /** The rows of {@code dataset} over {@code features} (e.g. a validation set over the training set's map). */
    static ProbeMatrix of(Dataset<?> dataset, ImmutableFeatureMap features) {
        int width = features.size();
        float[] x = new float[dataset.size() * width];
        int row = 0;
        for (Example<?> example : dataset) {
            fill(example, features, x, row++ * width);
        }
        return new ProbeMatrix(dataset, features, x);
    }

    /**
     * Writes {@code example}'s known features into {@code x} from {@code offset}.
     *
     * @return how many of its features the map knows
     */
    public static int fill(Example<?> example, ImmutableFeatureMap features, float[] x, int offset) {
        int used = 0;
        for (Feature feature : example) {
            int id = features.getID(feature.getName());
            if (id >= 0) {
                x[offset + id] = (float) feature.getValue();
                used++;
            }
        }
        return used;
    }

    int rows() {
        return x.length / features.size();
    }

    int width() {
        return features.size();
    }
}
