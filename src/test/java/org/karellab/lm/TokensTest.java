package org.karellab.lm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.karellab.world.Action;

class TokensTest {
    @Test
    void actionTokensFollowTheActionOrder() {
        assertEquals(3, Tokens.actionToken(Action.MOVE));
        assertEquals(7, Tokens.actionToken(Action.PUT_MARKER));
        assertEquals(8, Tokens.FIRST_FREE);
        for (Action a : Action.values()) {
            assertEquals(a, Tokens.tokenAction(Tokens.actionToken(a)));
        }
        assertFalse(Tokens.isAction(Tokens.EOS));
        assertThrows(IllegalArgumentException.class, () -> Tokens.tokenAction(Tokens.BOS));
    }
}
