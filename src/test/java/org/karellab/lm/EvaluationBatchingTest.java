package org.karellab.lm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.karellab.data.Dataset;
import org.karellab.data.GenConfig;
import org.karellab.data.Generator;
import org.karellab.data.LengthRange;
import org.karellab.data.ProgramSet;
import org.karellab.data.Sample;
import org.karellab.data.Split;

public class EvaluationBatchingTest {
    @TempDir
    Path tmp;

    /** A random model with its weights scaled up, so that its programs vary with the specification. */
    public static Gpt sensitive(ModelShape cfg) {
        try (Gpt random = Gpt.create(cfg, Device.cpu())) {
            NDList weights = new NDList();
            random.parameters().forEach((name, w) -> {
                NDArray copy = name.contains("ln") ? w.duplicate() : w.mul(30);
                copy.setName(name);
                weights.add(copy);
            });
            return Gpt.create(cfg, Device.cpu(), weights);
        }
    }

    /** Decoding several batches at a time (and a last partial chunk) writes the same programs. */
    @Test
    void rowsDoNotDependOnHowSamplesAreBatched() {
        GenConfig d = GenConfig.defaults();
        Path data = tmp.resolve("data");
        new Generator(new GenConfig(3, 10, 0, 19, new LengthRange(1, 10), d.evalLengths(), d.examples(),
                d.specExamples(), d.wallRate(), d.markerRate(), d.weights(), false)).generate(data, 1, false);
        try (Dataset ds = Dataset.open(data, false); Gpt model = sensitive(LmConfig.smoke().with("seed", "4").model())) {
            List<Sample> samples = Evaluation.samples(ds.split(Split.TEST), 0);
            int spec = ds.config().specExamples();
            Evaluation.Result smallResult = Evaluation.evaluate(model, 7, samples, spec, 2, ProgramSet.empty());    // chunks of 8, 8, 3
            Evaluation.Result wholeResult = Evaluation.evaluate(model, 7, samples, spec, 64, ProgramSet.empty());
            assertEquals(wholeResult.programs(), smallResult.programs(), "the same program written for each specification");
            List<EvalRow> small = smallResult.rows();
            List<EvalRow> whole = wholeResult.rows();
            assertEquals(whole.size(), small.size());
            for (int i = 0; i < whole.size(); i++) {
                EvalRow a = whole.get(i);
                EvalRow b = small.get(i);
                assertEquals(a.length(), b.length());
                assertEquals(a.n(), b.n());
                assertEquals(a.accuracy(), b.accuracy(), a.length());
                assertEquals(a.generalization(), b.generalization());
                assertEquals(a.exactMatch(), b.exactMatch());
                assertEquals(a.distinct(), b.distinct());
                assertEquals(a.actionEntropy(), b.actionEntropy());
                assertEquals(a.meanLength(), b.meanLength());
                assertEquals(a.perplexity(), b.perplexity(), 1e-4 * a.perplexity());   // scoring batches differ in shape
            }
            assertEquals(19, whole.get(whole.size() - 1).n());
            assertTrue(whole.get(whole.size() - 1).distinct() > 0.3, "programs differ from sample to sample");
        }
    }
}
