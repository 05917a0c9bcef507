// Does the LM's state depend on the compass? (causal.TurnedSpec) Every example of 500 test specs is
// turned 1-3 quarters about the grid centre; the LM's own program is forced on the original, the
// turned and another program's spec; per layer, at the spec and at the action positions, the mean
// distance of the state from the original's under the turn and under the swap, and their ratio
// (95% bootstrap interval over programs), in the trained LM and in a random-init LM of the same
// shape reading the same programs (the control: what the encoding's turn does by itself). Run:
//   RUN=runs/cpu-abs/run OUT=turned.csv jshell -J-Xmx6g -R-Dai.djl.pytorch.num_threads=2 \
//     --class-path "target/karel-lab.jar:target/lib/*" docs/frames/turned-spec.jsh
import org.karellab.causal.TurnedSpec;
import java.nio.file.Path;

var t = TurnedSpec.run(Path.of(System.getenv("RUN")), new TurnedSpec.Options("last", 500, 1000, 1, 7L), Path.of(System.getenv("OUT")), System.out);
System.out.println("RUN = " + System.getenv("RUN"));
for (int r = 0; r < t.rowCount(); r++) {
    System.out.printf("%-11s %-22s %-5s turn %7.3f  swap %7.3f  ratio %.3f [%.3f, %.3f]  n=%d%n", t.stringColumn("lm").get(r), t.stringColumn("layer").get(r),
            t.stringColumn("where").get(r), t.doubleColumn("turn").getDouble(r), t.doubleColumn("swap").getDouble(r),
            t.doubleColumn("ratio").getDouble(r), t.doubleColumn("ratio_low").getDouble(r), t.doubleColumn("ratio_high").getDouble(r),
            t.intColumn("n_programs").get(r));
}
/exit
