package org.karellab.world;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.karellab.data.GenConfig;
import org.karellab.data.Sampler;

/** The reference's 8-line text form (paper-facts, "Text form of a world"). */
class WorldTextTest {

    private static final String RICH = Worlds.grid(
            "########",
            "#1.#..9#",
            "#.23#..#",
            "#4..R.5#",
            "##.6...#",
            "#..7.8.#",
            "#.#...##",
            "########");

    @ParameterizedTest
    @ValueSource(chars = {'^', '>', 'v', '<'})
    void renderParseRoundTripWithEveryGlyph(char glyph) {
        String text = RICH.replace('R', glyph);
        World w = WorldText.parse(text);
        assertEquals(text, WorldText.render(w));
        assertEquals(Facing.byGlyph(glyph), w.facing());
        assertEquals(3, w.robotRow());
        assertEquals(4, w.robotCol());
    }

    @Test
    void parseReadsEveryCell() {
        World w = WorldText.parse(RICH.replace('R', '>'));
        assertEquals(1, w.markers(1, 1));
        assertTrue(w.isWall(1, 3));
        assertEquals(9, w.markers(1, 6));
        assertEquals(2, w.markers(2, 2));
        assertEquals(3, w.markers(2, 3));
        assertTrue(w.isWall(2, 4));
        assertEquals(4, w.markers(3, 1));
        assertEquals(5, w.markers(3, 6));
        assertTrue(w.isWall(4, 1));
        assertEquals(6, w.markers(4, 3));
        assertEquals(7, w.markers(5, 3));
        assertEquals(8, w.markers(5, 5));
        assertTrue(w.isWall(6, 2));
        assertTrue(w.isWall(6, 6));
        assertEquals(0, w.markers(4, 4));
        assertEquals(0, w.markers(3, 4), "the robot's cell has no markers when parsed");
        // border
        for (int i = 0; i < 8; i++) {
            assertTrue(w.isWall(0, i) && w.isWall(7, i) && w.isWall(i, 0) && w.isWall(i, 7));
        }
    }

    @Test
    void parseRenderRoundTripOfSampledWorlds() {
        Sampler s = new Sampler(GenConfig.defaults());
        SplittableRandom rng = new SplittableRandom(42);
        int walls = 0;
        int markers = 0;
        for (int i = 0; i < 500; i++) {
            World w = s.world(rng);
            assertEquals(0, w.markers(w.robotRow(), w.robotCol()), "no marker under the robot");
            String text = WorldText.render(w);
            assertEquals(w, WorldText.parse(text), text);
            walls += text.chars().filter(c -> c == '#').count() - 28;
            markers += text.chars().filter(c -> c == '1').count();
        }
        assertTrue(walls > 0 && markers > 0, "the sample exercised walls and markers");
    }

    @Test
    void moreThanNineMarkersRenderAsTheFirstDigit() {
        World w = World.empty(1, 1, Facing.EAST).setMarkers(2, 1, 12).setMarkers(2, 2, 23).setMarkers(2, 3, 9)
                .setMarkers(2, 4, 10).setMarkers(2, 5, 105);
        String text = WorldText.render(w);
        assertEquals("#12911.#", text.split("\n")[2]);
        // lossy: the parsed world has the digit's count
        assertEquals(1, WorldText.parse(text).markers(2, 1));
    }

    @Test
    void robotGlyphHidesMarkersBeneathIt() {
        World w = World.empty(2, 2, Facing.SOUTH).setMarkers(2, 2, 3).setMarkers(2, 3, 3);
        String text = WorldText.render(w);
        assertEquals("#.v3...#", text.split("\n")[2]);
        World back = WorldText.parse(text);
        assertEquals(0, back.markers(2, 2));
        assertNotEquals(w, back);
        assertEquals(text, WorldText.render(back));
    }

    @Test
    void renderIsEightLinesOfEight() {
        String text = WorldText.render(World.empty(6, 6, Facing.WEST));
        assertEquals(Worlds.grid("########", "#......#", "#......#", "#......#", "#......#", "#......#",
                "#.....<#", "########"), text);
        assertEquals(text, World.empty(6, 6, Facing.WEST).toString());
    }

    @Test
    void parseToleratesOneTrailingNewlineAndCarriageReturns() {
        String text = RICH.replace('R', 'v');
        World w = WorldText.parse(text);
        assertEquals(w, WorldText.parse(text + "\n"));
        assertEquals(w, WorldText.parse(text.replace("\n", "\r\n") + "\r\n"));
    }

    @Test
    void parseAcceptsZeroAndLetterO() {
        World w = Worlds.parse("########", "#0o....#", "#......#", "#..^...#", "#......#", "#......#", "#......#",
                "########");
        assertEquals(0, w.markers(1, 1));
        assertEquals(1, w.markers(1, 2));
    }

    // ---------------------------------------------------------------- errors

    private static String bad(String text) {
        return assertThrows(KarelException.class, () -> WorldText.parse(text)).getMessage();
    }

    @Test
    void sevenLines() {
        String seven = String.join("\n", "########", "#......#", "#......#", "#..^...#", "#......#", "#......#",
                "########");
        assertEquals("grid has 7 lines, expected 8", bad(seven));
    }

    @Test
    void nineLines() {
        assertTrue(bad(RICH.replace('R', '^') + "\n########").contains("9 lines"));
    }

    @Test
    void lineOfNineCharacters() {
        String text = Worlds.grid("########", "#......#", "#.......#", "#..^...#", "#......#", "#......#",
                "#......#", "########");
        assertEquals("grid line 3 has 9 characters, expected 8", bad(text));
    }

    @Test
    void unknownCharacter() {
        String msg = bad(RICH.replace('R', '^').replace("#4..", "#4x."));
        assertTrue(msg.contains("grid line 4 column 3") && msg.contains("unknown character 'x'"), msg);
    }

    @Test
    void twoRobots() {
        String msg = bad(RICH.replace('R', '^').replace("#4..", "#4.>"));
        assertTrue(msg.contains("grid line 4") && msg.contains("second robot"), msg);
    }

    @Test
    void noRobot() {
        assertTrue(bad(RICH.replace('R', '.')).contains("no robot"));
    }

    @Test
    void borderMustBeWall() {
        String msg = bad(RICH.replace('R', '^').replace("#1.#..9#", ".1.#..9#"));
        assertTrue(msg.contains("grid line 2 column 1") && msg.contains("border"), msg);
        assertTrue(bad(RICH.replace('R', '.').replace("#1.#..9#", "^1.#..9#")).contains("border"));
    }
}
