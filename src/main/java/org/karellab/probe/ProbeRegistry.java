package org.karellab.probe;

import com.oracle.labs.mlrg.olcut.config.ConfigurationManager;
import org.tribuo.Trainer;
import org.tribuo.classification.Label;
import org.tribuo.classification.baseline.DummyClassifierTrainer;
import org.tribuo.classification.dtree.CARTClassificationTrainer;
import org.tribuo.classification.liblinear.LibLinearClassificationTrainer;
import org.tribuo.classification.liblinear.LinearClassificationType;
import org.tribuo.classification.sgd.linear.LinearSGDTrainer;
import org.tribuo.classification.sgd.objectives.LogMulticlass;
import org.tribuo.math.optimisers.AdaGrad;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongFunction;

/**
 * Probe trainers by name or from an OLCUT configuration file. Every trainer returned is wrapped by
 * {@link ProbeData#standardised} so inputs are standardised with training statistics.
 *
 * <ul>
 *   <li>{@code linear}: multinomial logistic regression, Tribuo SGD (log loss, AdaGrad 0.1, 5 epochs, minibatch 32)</li>
 *   <li>{@code mlp1}, {@code mlp2}: {@link MlpTrainer} with hidden widths {256} and {256, 1024} (the paper's probes)</li>
 *   <li>{@code liblinear}: LibLinear L2-regularised logistic regression (one-vs-rest)</li>
 *   <li>{@code tree}: CART decision tree of depth at most 10</li>
 *   <li>{@code dummy}: the most frequent training class</li>
 * </ul>
 *
 * A config reference is {@code path/to/probes.xml#componentName}; the component name may be
 * omitted when the file defines exactly one {@code Trainer}. A config file's trainers carry their
 * own seeds.
 */
public final class ProbeRegistry {
    private static final Map<String, LongFunction<Trainer<Label>>> NAMED = new LinkedHashMap<>();

    static {
        NAMED.put("linear", seed -> new LinearSGDTrainer(new LogMulticlass(), new AdaGrad(0.1, 0.1), 5, -1, 32, seed));
        NAMED.put("mlp1", seed -> MlpTrainer.withHidden(seed, 256));
        NAMED.put("mlp2", seed -> MlpTrainer.withHidden(seed, 256, 1024));
        NAMED.put("liblinear", seed -> new LibLinearClassificationTrainer(
                new LinearClassificationType(LinearClassificationType.LinearType.L2R_LR), 1.0, 1000, 0.01, seed));
        NAMED.put("tree", seed -> new CARTClassificationTrainer(10));
        NAMED.put("dummy", seed -> DummyClassifierTrainer.createMostFrequentTrainer());
    }

    private ProbeRegistry() {}

    /** The built-in probe names. */
    public static List<String> names() {
        return List.copyOf(NAMED.keySet());
    }

    /** A standardised probe trainer by name or config reference, seeded with Tribuo's default seed. */
    public static Trainer<Label> trainer(String nameOrConfigPath) {
        return trainer(nameOrConfigPath, Trainer.DEFAULT_SEED);
    }

    /** A standardised probe trainer by name (seeded with {@code seed}) or config reference. */
    public static Trainer<Label> trainer(String nameOrConfigPath, long seed) {
        LongFunction<Trainer<Label>> named = NAMED.get(nameOrConfigPath);
        if (named != null) {
            return ProbeData.standardised(named.apply(seed));
        }
        if (isConfigReference(nameOrConfigPath)) {
            return ProbeData.standardised(fromConfig(nameOrConfigPath));
        }
        throw new IllegalArgumentException("unknown probe '" + nameOrConfigPath + "' (known: "
                + String.join(", ", NAMED.keySet()) + "; or an OLCUT config file path[#component])");
    }

    /** The hyper-parameter candidates of a probe (the first is the default), standardised. */
    public static java.util.LinkedHashMap<String, Trainer<Label>> candidates(String nameOrConfigPath, long seed) {
        java.util.LinkedHashMap<String, Trainer<Label>> c = new java.util.LinkedHashMap<>();
        c.put("default", trainer(nameOrConfigPath, seed));
        return c;
    }

    private static boolean isConfigReference(String reference) {
        return reference.contains("#") || reference.endsWith(".xml") || Files.isRegularFile(Path.of(reference));
    }

    @SuppressWarnings("unchecked") // OLCUT returns raw Trainers; a Label trainer is checked at train time
    private static Trainer<Label> fromConfig(String reference) {
        int hash = reference.lastIndexOf('#');
        String path = hash < 0 ? reference : reference.substring(0, hash);
        if (!Files.isRegularFile(Path.of(path))) {
            throw new IllegalArgumentException("probe config file not found: " + path);
        }
        ConfigurationManager manager = new ConfigurationManager(path);
        String component;
        if (hash >= 0) {
            component = reference.substring(hash + 1);
        } else {
            List<String> trainers = manager.listAll(Trainer.class);
            if (trainers.size() != 1) {
                throw new IllegalArgumentException("probe config " + path + " defines " + trainers.size()
                        + " trainers " + trainers + "; name one as " + path + "#name");
            }
            component = trainers.get(0);
        }
        if (!manager.getComponentNames().contains(component)) {
            throw new IllegalArgumentException("probe config " + path + " has no component '" + component + "'");
        }
        Object configured = manager.lookup(component);
        if (!(configured instanceof Trainer<?> trainer)) {
            throw new IllegalArgumentException("component '" + component + "' in " + path + " is not a Tribuo Trainer: "
                    + configured.getClass().getName());
        }
        return (Trainer<Label>) trainer;
    }
}
