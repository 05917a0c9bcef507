package org.karellab.data;

import java.util.List;
import org.karellab.world.Program;
import org.karellab.world.World;

/**
 * One dataset record: a program and its examples. The first {@code specExamples} (input, output)
 * pairs are the specification shown to the LM; the rest are held out to test generalisation.
 */
public record Sample(Program program, List<World> inputs, List<World> outputs) {
    public Sample {
        if (inputs.size() != outputs.size()) {
            throw new IllegalArgumentException(inputs.size() + " inputs but " + outputs.size() + " outputs");
        }
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
    }

    public int examples() {
        return inputs.size();
    }
}
