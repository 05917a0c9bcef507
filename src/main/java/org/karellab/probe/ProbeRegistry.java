package org.karellab.probe;

import com.oracle.labs.mlrg.olcut.config.ConfigurationManager;
import org.tribuo.Trainer;
import org.tribuo.classification.Label;
import org.tribuo.classification.baseline.DummyClassifierTrainer;
import org.tribuo.classification.dtree.CARTClassificationTrainer;
import org.tribuo.classification.liblinear.LibLinearClassificationTrainer;
import org.tribuo.classification.liblinear.LinearClassificationType;
import org.tribuo.transform.TransformTrainer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongFunction;

/**
 * Probe trainers by name, with their small hyper-parameter grids, or from an OLCUT configuration
 * file. Every trainer returned standardises its inputs with training statistics: the probe
 * networks do it themselves, any other trainer is wrapped by {@link ProbeData#standardised}.
 *
 * <ul>
 *   <li>{@code linear}: multinomial logistic regression ({@link LinearProbeTrainer}), trained to
 *       convergence with early stopping;</li>
 *   <li>{@code mlp1}, {@code mlp2}: {@link MlpTrainer} with hidden widths {256} and {256, 1024}
 *       (the paper's probes), ReLU, dropout;</li>
 *   <li>{@code liblinear}: LibLinear L2-regularised logistic regression (one-vs-rest);</li>
 *   <li>{@code tree}: CART decision tree of depth at most 10;</li>
 *   <li>{@code dummy}: the most frequent training class.</li>
 * </ul>
 *
 * <p>Each name has one or more candidates ({@link #candidates}); the first is the default
 * ({@link #trainer}). The network probes' grids are built around the reference's protocol (AdamW,
 * lr 0.02, weight decay 0.2 on weights, dropout 0.2, up to 200 epochs), with early stopping on
 * held-out training rows instead of a fixed epoch count, and batches of 512 rows for speed;
 * {@link ProbeFit#select} picks one candidate on validation accuracy.
 *
 * <p>A notebook's own probe enters the sweep by name after {@link #register} or
 * {@link #registerCandidates}. A config reference is {@code path/to/probes.xml#componentName}; the
 * component name may be omitted when the file defines exactly one {@code Trainer}. A config
 * file's trainers carry their own seeds.
 */
public final class ProbeRegistry {
    /** The candidates of one probe for a seed, in order, the default first. */
    @FunctionalInterface
    public interface Candidates {
        LinkedHashMap<String, Trainer<Label>> of(long seed);
    }

    private static final Registry<Candidates> NAMED = new Registry<>("probe", builtIns());

    private static Map<String, Candidates> builtIns() {
        Map<String, Candidates> m = new LinkedHashMap<>();
        m.put("linear", ProbeRegistry::linearCandidates);
        m.put("mlp1", seed -> mlpCandidates(seed, 256));
        m.put("mlp2", seed -> mlpCandidates(seed, 256, 1024));
        m.put("liblinear", single(seed -> new LibLinearClassificationTrainer(
                new LinearClassificationType(LinearClassificationType.LinearType.L2R_LR), 1.0, 1000, 0.01, seed)));
        m.put("tree", single(seed -> new CARTClassificationTrainer(10)));
        m.put("dummy", single(seed -> DummyClassifierTrainer.createMostFrequentTrainer()));
        return m;
    }

    private ProbeRegistry() {}

    /** Shared settings of the {@code linear} candidates: AdamW lr 0.02, batch 512, 10% held out, patience 5, at most 100 epochs. */
    public static ProbeNetworkTrainer.Settings linearSettings(long seed) {
        return ProbeNetworkTrainer.Settings.defaults(seed).optLearningRate(0.02).optEpochs(100).optBatchSize(512)
                .optPatience(5);
    }

    /** Shared settings of the {@code mlp1} and {@code mlp2} candidates: batch 512, 10% held out, patience 5, at most 200 epochs. */
    public static ProbeNetworkTrainer.Settings mlpSettings(long seed) {
        return ProbeNetworkTrainer.Settings.defaults(seed).optEpochs(200).optBatchSize(512).optPatience(5);
    }

    /**
     * The {@code linear} grid: weight decay 0.2 (the reference's; the default), 0.01 (nearly
     * unregularised) and 1.0 (strong, for many classes on few rows); lr 0.02.
     */
    private static LinkedHashMap<String, Trainer<Label>> linearCandidates(long seed) {
        LinkedHashMap<String, Trainer<Label>> grid = new LinkedHashMap<>();
        for (double weightDecay : new double[] {0.2, 0.01, 1.0}) {
            ProbeNetworkTrainer.Settings s = linearSettings(seed).optWeightDecay(weightDecay);
            grid.put(s.describe(), new LinearProbeTrainer(s));
        }
        return grid;
    }

    /**
     * The {@code mlp1} / {@code mlp2} grid: the reference's regularisation (weight decay 0.2,
     * dropout 0.2) at lr 0.003 (the default), the reference's settings exactly (lr 0.02), and a weakly
     * regularised net (lr 0.003, weight decay 0.01, no dropout).
     */
    private static LinkedHashMap<String, Trainer<Label>> mlpCandidates(long seed, int... hidden) {
        LinkedHashMap<String, Trainer<Label>> grid = new LinkedHashMap<>();
        for (ProbeNetworkTrainer.Settings s : List.of(
                mlpSettings(seed).optLearningRate(3e-3).optWeightDecay(0.2).optDropout(0.2),
                mlpSettings(seed).optLearningRate(0.02).optWeightDecay(0.2).optDropout(0.2),
                mlpSettings(seed).optLearningRate(3e-3).optWeightDecay(0.01).optDropout(0.0))) {
            grid.put(s.describe(), new MlpTrainer(s, hidden));
        }
        return grid;
    }

    private static Candidates single(LongFunction<? extends Trainer<Label>> factory) {
        return seed -> {
            LinkedHashMap<String, Trainer<Label>> one = new LinkedHashMap<>();
            one.put("default", factory.apply(seed));
            return one;
        };
    }

    /** The registered probe names, built-in first, then in registration order. */
    public static List<String> names() {
        return NAMED.names();
    }

    /**
     * Registers a probe with one trainer per seed under {@code name}, e.g. from a notebook:
     * {@code ProbeRegistry.register("gelu", seed -> new GeluMlp(Settings.defaults(seed)))}.
     * Registering a name again replaces it; built-in names cannot be replaced.
     */
    public static void register(String name, LongFunction<? extends Trainer<Label>> factory) {
        registerCandidates(name, single(factory));
    }

    /** Registers a probe with a grid of candidates per seed (the first is its default). */
    public static void registerCandidates(String name, Candidates factory) {
        NAMED.register(name, factory);
    }

    /**
     * Removes a registered probe.
     *
     * @return whether {@code name} was registered
     * @throws IllegalArgumentException for a built-in name
     */
    public static boolean unregister(String name) {
        return NAMED.unregister(name);
    }

    /** The default standardised probe trainer by name or config reference, seeded with Tribuo's default seed. */
    public static Trainer<Label> trainer(String nameOrConfigPath) {
        return trainer(nameOrConfigPath, Trainer.DEFAULT_SEED);
    }

    /** The default (first) candidate of a probe by name (seeded with {@code seed}) or config reference. */
    public static Trainer<Label> trainer(String nameOrConfigPath, long seed) {
        return candidates(nameOrConfigPath, seed).values().iterator().next();
    }

    /**
     * The candidates of a probe by name (seeded with {@code seed}), the default first; a config
     * reference is one candidate named after it.
     *
     * @throws IllegalArgumentException for an unknown name or a bad config reference
     */
    public static LinkedHashMap<String, Trainer<Label>> candidates(String nameOrConfigPath, long seed) {
        Candidates named = NAMED.get(nameOrConfigPath);
        LinkedHashMap<String, Trainer<Label>> grid = new LinkedHashMap<>();
        if (named != null) {
            LinkedHashMap<String, Trainer<Label>> made = named.of(seed);
            if (made == null || made.isEmpty()) {
                throw new IllegalArgumentException("probe '" + nameOrConfigPath + "' has no candidates");
            }
            made.forEach((candidate, trainer) -> grid.put(candidate, standardised(trainer)));
            return grid;
        }
        if (isConfigReference(nameOrConfigPath)) {
            grid.put(nameOrConfigPath, standardised(fromConfig(nameOrConfigPath)));
            return grid;
        }
        throw new IllegalArgumentException("unknown probe '" + nameOrConfigPath + "' (known: "
                + String.join(", ", names()) + "; or an OLCUT config file path[#component])");
    }

    /** {@code trainer} itself if it standardises its inputs, else wrapped by {@link ProbeData#standardised}. */
    private static Trainer<Label> standardised(Trainer<Label> trainer) {
        return trainer instanceof ProbeNetworkTrainer || trainer instanceof TransformTrainer
                ? trainer : ProbeData.standardised(trainer);
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
