package org.karellab.lm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class HiddenFilterTest {
    @Test
    void namesAndGlobs() {
        HiddenFilter posts = HiddenFilter.of("blocks.*.resid_post");
        assertTrue(posts.test("blocks.0.resid_post"));
        assertTrue(posts.test("blocks.17.resid_post"));
        assertFalse(posts.test("blocks.0.resid_pre"));
        assertFalse(posts.test("ln_final.normalized"));
        HiddenFilter exact = HiddenFilter.of("blocks.1.resid_mid");
        assertTrue(exact.test("blocks.1.resid_mid"));
        assertFalse(exact.test("blocks.11.resid_mid"));
        assertFalse(HiddenFilter.of("blocks.1.resid").test("blocks.1.resid_mid"), "a name matches whole, not as a prefix");
        assertFalse(HiddenFilter.of("blocks.?.resid_mid").test("blocks.1.resid_mid"), "only * is special");
        assertTrue(HiddenFilter.all().test("anything"));
        assertFalse(HiddenFilter.none().test("blocks.0.resid_pre"));
        assertTrue(HiddenFilter.of().keepsNothing());
    }

    @Test
    void selectListsTheKeptNamesInModelOrder() {
        assertEquals(Gpt.hiddenNames(3), HiddenFilter.all().select(3));
        assertEquals(List.of(), HiddenFilter.none().select(3));
        assertEquals(List.of("blocks.0.resid_pre", "blocks.0.resid_post", "blocks.1.resid_post", "ln_final.normalized"),
                HiddenFilter.of("ln_final.normalized", "blocks.*.resid_post", "blocks.0.resid_pre").select(2));
        assertEquals(10, Gpt.hiddenNames(3).size());
        assertThrows(LmException.class, () -> HiddenFilter.of("embed").select(2), "the old name is gone");
        assertThrows(LmException.class, () -> HiddenFilter.of("blocks.3.*").select(2));
        assertThrows(IllegalArgumentException.class, () -> HiddenFilter.of(" "));
    }
}
