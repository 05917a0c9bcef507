package org.karellab.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.karellab.data.GenConfig;
import org.karellab.data.LengthRange;
import org.karellab.lm.LmConfig;
import org.karellab.world.KarelException;

/** The named ways to run the whole study. */
class ReproduceRecipeTest {
    @Test
    void paperRecipeIsTheReferenceSetting() {
        Reproduce.Recipe paper = Reproduce.Recipe.named("paper");
        assertEquals("paper", paper.profile());
        assertEquals(GenConfig.defaults(), paper.data(), "the paper's dataset: 500,000 train programs");
        assertEquals(new LengthRange(6, 10), paper.data().trainLengths());
        assertEquals(500_000, paper.data().train());
        assertEquals("6-10", LmConfig.profile(paper.profile()).data().trainLengths());
        assertEquals(20, LmConfig.profile(paper.profile()).model().nLayer());
        Reproduce.Recipe cpu = Reproduce.Recipe.named("cpu");
        assertEquals(cpu.evalLimit(), paper.evalLimit(), "eval options as cpu");
        assertEquals(cpu.sweep().toBuilder().probes(java.util.List.of("linear", "mlp1", "mlp2"))
                .headlineProbes(java.util.List.of()).build(), paper.sweep(), "sweep options as cpu, every probe on every group");
        assertEquals(java.util.List.of("linear"), cpu.sweep().probes(), "cpu: linear on every group, in the hour");
        assertEquals(java.util.List.of("mlp1"), cpu.sweep().headlineProbes());
        assertEquals(cpu.data().test(), paper.data().test());
    }

    @Test
    void cpuAbsIsTheCpuStudyInTheAbsoluteFrame() {
        Reproduce.Recipe cpu = Reproduce.Recipe.named("cpu");
        Reproduce.Recipe abs = Reproduce.Recipe.named("cpu-abs");
        assertEquals("cpu-abs", abs.profile());
        assertEquals(new Reproduce.Recipe("cpu-abs", cpu.data(), cpu.evalLimit(), cpu.sweep(), cpu.intervene(), cpu.pprobe()), abs,
                "the same dataset, eval, sweep, interventions and P-probing as cpu");
        LmConfig a = LmConfig.profile("cpu-abs");
        assertEquals(java.util.List.of("encoding: ego -> north", "specConv: 0 -> 32", "specConvFacing: true -> false",
                        "curriculum: 1-3@0,1-6@0.1,1-10@0.25 -> none"),
                LmConfig.profile("cpu").differences(a),
                "only the encoding, the convolutional front end and the curriculum differ from cpu (north draws as many features as ego)");
        assertEquals(org.karellab.lm.SpecEncodings.Frame.ABSOLUTE, org.karellab.lm.SpecEncodings.frame(a.model().encoding()));
    }

    @Test
    void unknownRecipeNamesTheKnownOnes() {
        KarelException e = assertThrows(KarelException.class, () -> Reproduce.Recipe.named("huge"));
        assertTrue(e.getMessage().contains("smoke, cpu, cpu-abs, paper"), e.getMessage());
    }
}
