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
                + "semantics x offset, the layer sweep and the baselines and controls. One tidy CSV, resumable.")
final class SweepCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--run", required = true, description = "run folder")
    Path run;

    @Option(names = "--out", description = "results CSV (default: RUN/results.csv)")
    Path out;

    @Option(names = "--checkpoints", description = "checkpoints of the curve: all (default), last, or steps a,b,c")
    String checkpoints = Sweep.Options.defaults().checkpoints();

    @Option(names = "--probes", split = ",", description = "probes (default: linear,mlp1,mlp2); any ProbeRegistry name or Tribuo config file")
    List<String> probes = Sweep.Options.defaults().probes();

    @Option(names = "--semantics", split = ",", description = "semantics of the final sweep (default: original,flip,adversarial)")
    List<String> semantics = Sweep.Options.defaults().semantics();

    @Option(names = "--offsets", split = ",", description = "offsets of the final sweep (default: -2,-1,0,1,2)")
    List<Integer> offsets = Sweep.Options.defaults().offsets();

    @Option(names = "--layers", split = ",", description = "layers of the layer sweep (default: every layer)")
    List<String> layers;

    @Option(names = "--layer-probes", split = ",", description = "probes of the layer sweep (default: linear)")
    List<String> layerProbes = Sweep.Options.defaults().layerProbes();

    @Option(names = "--samples", description = "programs traced per split (default: ${DEFAULT-VALUE})")
    int samples = Sweep.Options.defaults().samples();

    @Option(names = "--no-curve", description = "skip the curve over checkpoints")
    boolean noCurve;

    @Option(names = "--no-final", description = "skip the final-checkpoint sweep")
    boolean noFinal;

    @Override
    public Integer call() {
        Path csv = out != null ? out : run.resolve(Sweep.CSV);
        Sweep.Options o = new Sweep.Options(checkpoints, probes, semantics, offsets, layers, layerProbes, samples,
                Sweep.Options.defaults().seed(), !noCurve, !noFinal);
        var t = Sweep.run(run, o, csv, System.out);
        spec.commandLine().getOut().printf("%d measurements in %s%n", t.rowCount(), csv);
        return 0;
    }
}
