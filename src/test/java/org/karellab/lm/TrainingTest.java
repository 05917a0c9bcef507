package org.karellab.lm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainingTest {
    @TempDir
    Path tmp;

    /** smoke: 20 steps, checkpoints every 5, metrics every 5; dropout on so the RNG matters. */
    private static final LmConfig CFG = TestConfigs.gridSmoke().with("dropout", "0.1");

    /** Synthetic grid batches, a pure function of the step; can simulate a crash at one step. */
    private record Synthetic(int batchSize, int featDim, long crashAt, List<Batch> validation) implements BatchSource {
        @Override
        public Batch batch(long step) {
            if (step == crashAt) {
                throw new IllegalStateException("simulated crash at step " + step);
            }
            return Bench.syntheticGridBatch(batchSize, featDim, 1000 + step);
        }

        @Override
        public long samplesPerEpoch() {
            return 40;
        }
    }

    private static Synthetic data(long crashAt) {
        return new Synthetic(CFG.data().batchSize(), CFG.model().featDim(), crashAt, List.of());
    }

    /** Two fixed held-out batches of other synthetic content. */
    private static List<Batch> validationBatches() {
        return List.of(Bench.syntheticGridBatch(3, CFG.model().featDim(), 77), Bench.syntheticGridBatch(2, CFG.model().featDim(), 78));
    }

    @Test
    void interruptedAndResumedRunEndsWithTheSameWeights() throws IOException {
        Path whole = tmp.resolve("whole");
        Training.TrainResult uninterrupted = Training.train(CFG, data(-1), whole, false, quiet());
        assertEquals(List.of(0L, 5L, 10L, 15L, 20L),
                Checkpoint.list(whole).stream().map(Checkpoint::stepOf).toList());
        List<String> metrics = Files.readAllLines(whole.resolve("metrics.csv"));
        assertEquals("step,epoch,loss,lr,samples_per_s,val_loss,grad_norm", metrics.get(0));
        assertEquals(5, metrics.size());
        assertTrue(metrics.get(4).startsWith("20,4.0000,"), metrics.get(4));

        Path cut = tmp.resolve("cut");
        assertThrows(IllegalStateException.class, () -> Training.train(CFG, data(12), cut, false, quiet()));
        Training.TrainResult resumed = Training.train(CFG, data(-1), cut, true, quiet());
        assertEquals(uninterrupted.weightsSha256(), resumed.weightsSha256());
        assertEquals(Files.readAllLines(whole.resolve("metrics.csv")).size(),
                Files.readAllLines(cut.resolve("metrics.csv")).size(), "no duplicate metrics rows after resume");
    }

    @Test
    void validationLossLeavesTheWeightsBitIdentical() throws IOException {
        String without = Training.train(CFG, data(-1), tmp.resolve("without"), false, quiet()).weightsSha256();
        Synthetic validated = new Synthetic(CFG.data().batchSize(), CFG.model().featDim(), -1, validationBatches());
        Path run = tmp.resolve("with");
        assertEquals(without, Training.train(CFG, validated, run, false, quiet()).weightsSha256(),
                "dropout is on: a val loss that drew random numbers would change the weights");

        List<String> rows = Files.readAllLines(run.resolve("metrics.csv"));
        String[] last = rows.get(rows.size() - 1).split(",", -1);
        assertEquals("20", last[0]);
        try (Checkpoint.Loaded c = Checkpoint.read(Checkpoint.file(run, 20));
             Gpt model = Gpt.create(c.config().model(), Device.cpu(), c.weights())) {
            assertEquals(Training.loss(model, validationBatches()), Double.parseDouble(last[5]), 1e-6,
                    "val_loss is the loss of the row's weights on the validation batches");
        }
        assertTrue(Double.parseDouble(last[6]) > 0, "grad_norm " + last[6]);
        for (String row : Files.readAllLines(tmp.resolve("without").resolve("metrics.csv")).subList(1, 5)) {
            String[] cells = row.split(",", -1);
            assertEquals("", cells[5], "no validation batches, no val_loss: " + row);
            assertTrue(Double.parseDouble(cells[6]) > 0, row);
        }
    }

    @Test
    void resumingARunWithOldMetricsPadsItsRows() throws IOException {
        Path cut = tmp.resolve("cut");
        assertThrows(IllegalStateException.class, () -> Training.train(CFG, data(12), cut, false, quiet()));
        Path csv = cut.resolve("metrics.csv");
        List<String> old = new java.util.ArrayList<>(List.of("step,epoch,loss,lr,samples_per_s"));
        for (String row : Files.readAllLines(csv).subList(1, 3)) {
            old.add(row.substring(0, row.lastIndexOf(',', row.lastIndexOf(',') - 1)));
        }
        Files.write(csv, old);
        Training.train(CFG, data(-1), cut, true, quiet());
        List<String> rows = Files.readAllLines(csv);
        assertEquals(Training.METRICS_HEADER, rows.get(0));
        assertEquals(5, rows.size());
        assertTrue(rows.get(1).startsWith("5,") && rows.get(1).endsWith(",,"), rows.get(1));
        assertTrue(rows.get(3).startsWith("15,") && !rows.get(3).endsWith(","), rows.get(3));
        assertTrue(rows.stream().allMatch(r -> r.split(",", -1).length == 7), rows.toString());
    }

    @Test
    void resumeFallsBackToThePreviousCompleteCheckpoint() throws IOException {
        Path whole = tmp.resolve("whole");
        String expected = Training.train(CFG, data(-1), whole, false, quiet()).weightsSha256();

        Path cut = tmp.resolve("cut");
        assertThrows(IllegalStateException.class, () -> Training.train(CFG, data(12), cut, false, quiet()));
        Path newest = Checkpoint.file(cut, 10);
        try (FileChannel ch = FileChannel.open(newest, StandardOpenOption.WRITE)) {
            ch.truncate(ch.size() - 100);
        }
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        Training.TrainResult resumed = Training.train(CFG, data(-1), cut, true, new PrintStream(log, true, StandardCharsets.UTF_8));
        String text = log.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains(newest + ": truncated or corrupt checkpoint (checksum mismatch); falling back to the previous checkpoint"), text);
        assertTrue(text.contains("resuming from " + Checkpoint.file(cut, 5) + " at step 5"), text);
        assertEquals(expected, resumed.weightsSha256());
    }

    @Test
    void resumeWithoutCheckpointsAndFreshRunOverCheckpointsFail() {
        Path empty = tmp.resolve("empty");
        LmException e = assertThrows(LmException.class, () -> Training.train(CFG, data(-1), empty, true, quiet()));
        assertEquals("--resume: no checkpoint in " + empty.resolve("checkpoints"), e.getMessage());

        LmConfig two = CFG.with("steps", "2").with("warmupSteps", "0");
        Path run = tmp.resolve("run");
        Training.train(two, data(-1), run, false, quiet());
        e = assertThrows(LmException.class, () -> Training.train(two, data(-1), run, false, quiet()));
        assertEquals(run + " already has checkpoints: pass --resume or use a new run directory", e.getMessage());
    }

    /**
     * bf16 products ("medium") change the numerics of training, are recorded in the run's config,
     * and do not outlive the run: the precision in force before is restored.
     */
    @Test
    void matmulPrecisionAppliesToTrainingOnlyAndIsRecorded() throws IOException {
        String fp32 = Training.train(CFG, data(-1), tmp.resolve("fp32"), false, quiet()).weightsSha256();
        LmConfig bf16 = CFG.with("matmulPrecision", "medium");
        Path run = tmp.resolve("bf16");
        String before = MatmulPrecision.get();
        String medium = Training.train(bf16, data(-1), run, false, quiet()).weightsSha256();
        assertEquals(before, MatmulPrecision.get(), "restored after training");
        if (cpuHasBf16()) {   // elsewhere libtorch keeps float32 products
            assertNotEquals(fp32, medium, "bfloat16 inputs round the products");
        }
        assertEquals("medium", Checkpoint.config(Checkpoint.list(run).get(0)).hardware().matmulPrecision());
        assertEquals(medium, Training.train(bf16, data(-1), tmp.resolve("bf16-again"), false, quiet()).weightsSha256(),
                "the same seed and precision give the same bytes");
    }

    @Test
    void duringSetsThePrecisionAndRestoresItAlsoWhenTheBodyThrows() {
        String before = MatmulPrecision.get();
        assertEquals("medium", MatmulPrecision.during("medium", MatmulPrecision::get));
        assertEquals(before, MatmulPrecision.get());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> MatmulPrecision.during("high", () -> {
            throw new IllegalStateException("body failed at " + MatmulPrecision.get());
        }));
        assertEquals("body failed at high", e.getMessage());
        assertEquals(before, MatmulPrecision.get());
        assertThrows(LmException.class, () -> MatmulPrecision.during("bf16", () -> 1));
    }

    private static boolean cpuHasBf16() throws IOException {
        Path info = Path.of("/proc/cpuinfo");
        return Files.isReadable(info) && Files.readString(info).matches("(?s).*\\b(avx512_bf16|amx_bf16)\\b.*");
    }

    @Test
    void differentSeedsGiveDifferentWeights() {
        LmConfig two = CFG.with("steps", "2").with("warmupSteps", "0");
        String a = Training.train(two, data(-1), tmp.resolve("a"), false, quiet()).weightsSha256();
        String b = Training.train(two.with("seed", "9"), data(-1), tmp.resolve("b"), false, quiet()).weightsSha256();
        assertNotEquals(a, b);
    }

    /** The reference-scale profile builds (about 250M parameters) and takes one step on a tiny batch. */
    @Test
    void paperProfileTakesOneTrainingStep() {
        LmConfig paper = LmConfig.profile("paper");
        int[] tokens = {8, 9, 10, 11, Tokens.BOS, 3, 4, 5};
        int[] targets = {-1, -1, -1, -1, 3, 4, 5, Tokens.EOS};
        Batch tiny = new Batch(1, 0, 0, new float[0], tokens.length, tokens, targets);
        try (Gpt model = Gpt.create(paper.model(), Device.cpu())) {
            assertEquals(paper.model().parameterCount(), model.parameterCount());
            AdamW optimizer = new AdamW(paper, model);
            float loss = Training.step(model, optimizer, tiny, 0).loss();
            assertTrue(Math.abs(loss - Math.log(paper.model().vocabSize())) < 1, "untrained loss near ln(V): " + loss);
            assertEquals(1, optimizer.updates());
        }
    }

    private static PrintStream quiet() {
        return new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    }
}
