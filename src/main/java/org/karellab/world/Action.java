package org.karellab.world;

/**
 * The five Karel actions. The declaration order is part of the file formats (dataset storage and
 * token ids use {@link #ordinal()}), so never reorder it.
 */
public enum Action {
    MOVE("move", "move", 'M'),
    TURN_LEFT("turnLeft", "turn_left", 'L'),
    TURN_RIGHT("turnRight", "turn_right", 'R'),
    PICK_MARKER("pickMarker", "pick_marker", 'P'),
    PUT_MARKER("putMarker", "put_marker", 'U');

    private static final Action[] VALUES = values();

    /** camelCase name used in the kit's options and tables ({@code pickMarker}). */
    public final String camel;
    /** snake_case name used by the reference programs ({@code pick_marker}). */
    public final String snake;
    /** one-letter code of the kit's short program form. */
    public final char letter;

    Action(String camel, String snake, char letter) {
        this.camel = camel;
        this.snake = snake;
        this.letter = letter;
    }

    public static Action of(int ordinal) {
        return VALUES[ordinal];
    }

    public static int count() {
        return VALUES.length;
    }

    /** Accepts the camelCase, snake_case or enum name, case-insensitively; null if none matches. */
    public static Action byName(String name) {
        String n = name.trim();
        for (Action a : VALUES) {
            if (a.camel.equalsIgnoreCase(n) || a.snake.equalsIgnoreCase(n) || a.name().equalsIgnoreCase(n)) {
                return a;
            }
        }
        return null;
    }

    public static Action byLetter(char c) {
        char u = Character.toUpperCase(c);
        for (Action a : VALUES) {
            if (a.letter == u) {
                return a;
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return camel;
    }
}
