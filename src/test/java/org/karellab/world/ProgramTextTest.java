package org.karellab.world;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.karellab.world.Action.MOVE;
import static org.karellab.world.Action.PICK_MARKER;
import static org.karellab.world.Action.PUT_MARKER;
import static org.karellab.world.Action.TURN_LEFT;
import static org.karellab.world.Action.TURN_RIGHT;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Program text forms: the reference's {@code def run() {...}} and the kit's short form. */
class ProgramTextTest {

    @Test
    void referenceFormRoundTrip() {
        String text = "def run() {\n  put_marker(); turn_right()\n}";
        Program p = ProgramText.parse(text);
        assertEquals(new Program(PUT_MARKER, TURN_RIGHT), p);
        assertEquals(text, ProgramText.toReference(p));
        assertEquals(text, p.toReference());
    }

    @Test
    void referenceFormOfEveryAction() {
        Program p = new Program(MOVE, TURN_LEFT, TURN_RIGHT, PICK_MARKER, PUT_MARKER);
        String text = "def run() {\n  move(); turn_left(); turn_right(); pick_marker(); put_marker()\n}";
        assertEquals(text, p.toReference());
        assertEquals(p, ProgramText.parseReference(text));
    }

    @Test
    void oneLineReferenceForm() {
        assertEquals(new Program(MOVE), ProgramText.parse("def run() { move() }"));
        assertEquals(new Program(MOVE, TURN_LEFT), ProgramText.parse("def run(){move();turn_left()}"));
        assertEquals(new Program(MOVE, TURN_LEFT),
                ProgramText.parse("  def  run ()  {\n\tmove () ;\n turn_left()\n}\n"));
    }

    @Test
    void shortFormRoundTrip() {
        String text = "putMarker turnRight move pickMarker turnLeft";
        Program p = ProgramText.parse(text);
        assertEquals(new Program(PUT_MARKER, TURN_RIGHT, MOVE, PICK_MARKER, TURN_LEFT), p);
        assertEquals(text, p.toShort());
        assertEquals(text, p.toString());
    }

    @Test
    void shortFormAcceptsSnakeAndCamelAndSeparators() {
        Program expected = new Program(PUT_MARKER, TURN_RIGHT, MOVE, TURN_LEFT);
        assertEquals(expected, ProgramText.parse("put_marker turn_right move turn_left"));
        assertEquals(expected, ProgramText.parse("putMarker turn_right move turnLeft"));
        assertEquals(expected, ProgramText.parse("putMarker(), turnRight(); move()  turn_left"));
        assertEquals(expected, ProgramText.parseShort("\nputMarker\tturnRight move turnLeft\n"));
    }

    @Test
    void randomProgramsRoundTripInBothForms() {
        SplittableRandom rng = new SplittableRandom(3);
        for (int i = 0; i < 300; i++) {
            Action[] a = new Action[1 + rng.nextInt(12)];
            for (int k = 0; k < a.length; k++) {
                a[k] = Action.of(rng.nextInt(5));
            }
            Program p = new Program(a);
            assertEquals(p, ProgramText.parse(p.toReference()));
            assertEquals(p, ProgramText.parse(p.toShort()));
            assertEquals(p.toReference(), ProgramText.parse(p.toReference()).toReference());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "def run() { jump() }",
        "def run() move()",
        "def run() { move()",
        "def run() move() }",
        "def run() { }",
        "def run() { move(); }",
        "def run() { move() turn_left() }",
        "def run() { turnLeft() }",
        "def run() { move }",
        "def run() { move() } move()",
        "def walk() { move() }",
        "",
        "   ",
        "move jump",
        "moveturnLeft",
    })
    void malformedProgramsAreErrors(String text) {
        KarelException e = assertThrows(KarelException.class, () -> ProgramText.parse(text));
        assertTrue(!e.getMessage().isBlank() && !e.getMessage().contains("\n"), e.getMessage());
    }

    @Test
    void errorMessagesNameTheProblem() {
        String m = assertThrows(KarelException.class, () -> ProgramText.parse("def run() { move(); jump() }"))
                .getMessage();
        assertTrue(m.contains("statement 2") && m.contains("jump"), m);
        m = assertThrows(KarelException.class, () -> ProgramText.parse("def run() move()")).getMessage();
        assertTrue(m.contains("{ }"), m);
        m = assertThrows(KarelException.class, () -> ProgramText.parse("move jump")).getMessage();
        assertTrue(m.contains("action 2") && m.contains("jump"), m);
    }
}
