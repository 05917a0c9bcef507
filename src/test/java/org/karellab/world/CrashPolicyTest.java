package org.karellab.world;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CrashPolicyTest {

    @Test
    void byName() {
        assertEquals(CrashPolicy.NOOP, CrashPolicy.byName("noop"));
        assertEquals(CrashPolicy.HALT, CrashPolicy.byName(" HALT "));
        assertEquals(CrashPolicy.ERROR, CrashPolicy.byName("error"));
        assertEquals("halt", CrashPolicy.HALT.toString());
    }

    @Test
    void unknownName() {
        KarelException e = assertThrows(KarelException.class, () -> CrashPolicy.byName("explode"));
        assertTrue(e.getMessage().contains("unknown crash policy 'explode'"), e.getMessage());
        assertTrue(e.getMessage().contains("noop, halt, error"), e.getMessage());
    }
}
