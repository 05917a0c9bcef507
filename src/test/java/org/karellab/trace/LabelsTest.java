package org.karellab.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.karellab.lm.LmException;
import org.karellab.lm.SpecEncodings;

class LabelsTest {
    @Test
    void semanticFeaturesFollowTheEncodingsFrame() {
        assertEquals(List.of("rel_facing", "rel_position", "wall"), Labels.semantic("ego"));
        assertEquals(List.of("facing", "position", "wall"), Labels.semantic("grid"));
        assertEquals(List.of("facing", "position", "wall"), Labels.semantic("text"));
        for (String name : SpecEncodings.names()) {
            assertTrue(Labels.PROBED.containsAll(Labels.semantic(name)), name + ": the sweep probes its semantic features");
        }
        assertEquals("unknown encoding 'pixels' (known: grid, text, ego)",
                assertThrows(LmException.class, () -> Labels.semantic("pixels")).getMessage());
    }
}
