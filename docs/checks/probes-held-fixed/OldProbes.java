package check;

import java.nio.file.Path;
import java.util.List;
import org.karellab.analysis.Reproduce;
import org.karellab.probe.ProbeRegistry;
import org.karellab.probe.RegressionProbes;
import org.karellab.probe.Sweep;
import org.tribuo.classification.sgd.linear.LinearSGDTrainer;
import org.tribuo.classification.sgd.objectives.LogMulticlass;
import org.tribuo.math.optimisers.AdaGrad;

/**
 * The smoke recipe's probing sweep on today's kit with the probes of 0e002e4 plugged in through
 * ProbeRegistry.register: 'linear_old' is that commit's linear probe (Tribuo SGD, log loss, AdaGrad
 * 0.1, 5 epochs, minibatch 32), 'mlp1_old' its MlpTrainer (copied from that commit into package
 * check.old by probes-held-fixed.sh), and the regression probe 'linear_old' that commit's (Tribuo SGD,
 * squared loss, AdaGrad 0.1, 10 epochs, minibatch 32; RegressionProbes.register standardises it as the
 * old code did). Usage: OldProbes RUN_DIR OUT_CSV.
 */
public final class OldProbes {
    public static void main(String[] args) {
        ProbeRegistry.register("linear_old", seed -> new LinearSGDTrainer(new LogMulticlass(), new AdaGrad(0.1, 0.1), 5, -1, 32, seed));
        ProbeRegistry.register("mlp1_old", seed -> check.old.MlpTrainer.withHidden(seed, 256));
        RegressionProbes.register("linear_old", seed -> new org.tribuo.regression.sgd.linear.LinearSGDTrainer(
                new org.tribuo.regression.sgd.objectives.SquaredLoss(), new AdaGrad(0.1, 0.1), 10, -1, 32, seed));
        Sweep.Options o = Reproduce.Recipe.named("smoke").sweep().toBuilder()
                .probes(List.of("linear_old", "mlp1_old")).layerProbes(List.of("linear_old"))
                .regressionProbe("linear_old").build();
        Sweep.run(Path.of(args[0]), o, Path.of(args[1]), System.out);
    }
}
