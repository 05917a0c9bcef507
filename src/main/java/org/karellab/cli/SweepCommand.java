package org.karellab.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.karellab.probe.Sweep;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "sweep", mixinStandardHelpOptions = true,
        description = "Probe a run: semantic content over checkpoints, then at the last checkpoint every probe x "
                + "semantics x feature on the trained LM, a random-init LM and syntax-only features, controls, "
                + "offsets, layers and regression probes; every number with a 95%% bootstrap interval over test "
                + "programs. One tidy CSV (and per-program sums beside it), resumable.")
final class SweepCommand implements Callable<Integer> {
    private static final Sweep.Options D = Sweep.Options.defaults();

    @Spec
    CommandSpec spec;

    @Option(names = "--run", required = true, description = "run folder")
    Path run;

    @Option(names = "--out", description = "results CSV (default: RUN/results.csv)")
    Path out;

    @Option(names = "--checkpoints", description = "checkpoints of the curve: all (default), last, every:K, or steps a,b,c")
    String checkpoints = D.checkpoints();

    @Option(names = "--probes", split = ",", description = "probes (default: linear,mlp1,mlp2); any ProbeRegistry name or Tribuo config file")
    List<String> probes = D.probes();

    @Option(names = "--semantics", split = org.karellab.world.Semantics.LIST_SPLIT, description = "semantics of the final sweep, original first; a mapping a=b,b=a is one entry, two in a row are separated by ; (default: ${DEFAULT-VALUE})")
    List<String> semantics = D.semantics();

    @Option(names = "--offsets", split = ",", description = "offsets of the final sweep (default: -2,-1,0,1,2)")
    List<Integer> offsets = D.offsets();

    @Option(names = "--headline-probes", split = ",", description = "probes measured on the curve and the headline only "
            + "(original semantics, offset 0: trained, random-init, syntax); default: none")
    List<String> headlineProbes = D.headlineProbes();

    @Option(names = "--layers", split = ",", description = "layers of the layer sweep (default: every layer)")
    List<String> layers;

    @Option(names = "--layer-probes", split = ",", description = "probes of the layer sweep (default: linear)")
    List<String> layerProbes = D.layerProbes();

    @Option(names = "--regression-probe", description = "the R^2 probe of the numeric offsets dx, dy, ahead, right "
            + "(default: ${DEFAULT-VALUE}, the only built-in; a name registered with RegressionProbes.register reaches "
            + "Sweep.run in the JVM that registered it)")
    String regressionProbe = D.regressionProbe();

    @Option(names = "--samples", description = "train programs traced at the last checkpoint, at least 1 (default: ${DEFAULT-VALUE})")
    int samples = D.samples();

    @Option(names = "--eval-samples", description = "val and test programs traced at the last checkpoint, each (default: ${DEFAULT-VALUE})")
    int evalSamples = D.evalSamples();

    @Option(names = "--curve-samples", description = "programs per split traced at the curve's checkpoints (default: ${DEFAULT-VALUE})")
    int curveSamples = D.curveSamples();

    @Option(names = "--seeds", description = "probe seeds at the last checkpoint (default: ${DEFAULT-VALUE})")
    int seeds = D.seeds();

    @Option(names = "--curve-seeds", description = "probe seeds on the curve (default: ${DEFAULT-VALUE})")
    int curveSeeds = D.curveSeeds();

    @Option(names = "--resamples", description = "bootstrap resamples (default: ${DEFAULT-VALUE})")
    int resamples = D.resamples();

    @Option(names = "--no-curve", description = "skip the curve over checkpoints")
    boolean noCurve;

    @Option(names = "--no-final", description = "skip the final-checkpoint sweep")
    boolean noFinal;

    @Override
    public Integer call() {
        Path csv = out != null ? out : run.resolve(Sweep.CSV);
        Sweep.Options o = D.toBuilder().checkpoints(checkpoints).probes(probes).semantics(semantics).offsets(offsets)
                .layers(layers).layerProbes(layerProbes).samples(samples).evalSamples(evalSamples)
                .curveSamples(curveSamples).seeds(seeds).curveSeeds(curveSeeds).resamples(resamples)
                .curve(!noCurve).finals(!noFinal).headlineProbes(headlineProbes)
                .regressionProbe(regressionProbe).build();
        var t = Sweep.run(run, o, csv, System.out);
        spec.commandLine().getOut().printf("%d measurements in %s%n", t.rowCount(), csv);
        return 0;
    }
}
