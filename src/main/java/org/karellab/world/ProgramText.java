package org.karellab.world;

import java.util.ArrayList;
import java.util.List;

/**
 * Text forms of programs.
 *
 * <ul>
 *   <li><b>Reference form</b> (the Python reference's {@code code} field, beautified):
 *       {@code def run() {\n  put_marker(); turn_right(); move()\n}}. Parsing also accepts the
 *       one-line form {@code def run() { move() }} and any white space between tokens.</li>
 *   <li><b>Short form</b> (the kit's own): action names separated by spaces, e.g.
 *       {@code putMarker turnRight move}. Parsing accepts camelCase or snake_case names, optional
 *       {@code ()}, and spaces, commas or semicolons as separators.</li>
 * </ul>
 * {@link #parse} accepts either. Programs have at least one action (as in the reference, whose
 * grammar cannot express an empty body).
 */
public final class ProgramText {
    private ProgramText() {
    }

    public static String toReference(Program p) {
        StringBuilder sb = new StringBuilder("def run() {\n  ");
        for (int i = 0; i < p.length(); i++) {
            if (i > 0) {
                sb.append("; ");
            }
            sb.append(p.get(i).snake).append("()");
        }
        return sb.append("\n}").toString();
    }

    public static String toShort(Program p) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < p.length(); i++) {
            if (i > 0) {
                sb.append(' ');
            }
            sb.append(p.get(i).camel);
        }
        return sb.toString();
    }

    /** Parses the reference form when the text starts with {@code def}, else the short form. */
    public static Program parse(String text) {
        String t = text.strip();
        return t.startsWith("def") ? parseReference(t) : parseShort(t);
    }

    public static Program parseReference(String text) {
        String t = text.strip();
        java.util.regex.Matcher head = java.util.regex.Pattern.compile("def\\s+run\\s*\\(\\s*\\)").matcher(t);
        if (!head.lookingAt()) {
            throw new KarelException("program does not start with 'def run()': '" + excerpt(t) + "'");
        }
        int open = t.indexOf('{');
        int close = t.lastIndexOf('}');
        if (open < 0 || close < open) {
            throw new KarelException("program body is not enclosed in { }: '" + excerpt(t) + "'");
        }
        if (!t.substring(head.end(), open).isBlank()) {
            throw new KarelException("text between 'def run()' and '{': '" + excerpt(t.substring(head.end(), open)) + "'");
        }
        if (!t.substring(close + 1).isBlank()) {
            throw new KarelException("text after the closing '}': '" + excerpt(t.substring(close + 1)) + "'");
        }
        String body = t.substring(open + 1, close).strip();
        if (body.isEmpty()) {
            throw new KarelException("program body is empty");
        }
        List<Action> actions = new ArrayList<>();
        String[] stmts = body.split(";", -1);
        for (int i = 0; i < stmts.length; i++) {
            String s = stmts[i].strip();
            String where = "statement " + (i + 1);
            if (s.isEmpty()) {
                throw new KarelException(where + " is empty (stray ';')");
            }
            if (!s.endsWith("()")) {
                throw new KarelException(where + " '" + excerpt(s) + "' is not an action call like move()");
            }
            String name = s.substring(0, s.length() - 2).strip();
            Action a = Action.byName(name);
            if (a == null || !name.equals(a.snake)) {
                throw new KarelException(where + ": unknown action '" + excerpt(name)
                        + "' (straight-line programs only: move, turn_left, turn_right, pick_marker, put_marker)");
            }
            actions.add(a);
        }
        return new Program(actions);
    }

    public static Program parseShort(String text) {
        String t = text.strip();
        if (t.isEmpty()) {
            throw new KarelException("program is empty");
        }
        List<Action> actions = new ArrayList<>();
        String[] words = t.split("[\\s,;]+");
        for (int i = 0; i < words.length; i++) {
            String w = words[i].endsWith("()") ? words[i].substring(0, words[i].length() - 2) : words[i];
            Action a = Action.byName(w);
            if (a == null) {
                throw new KarelException("action " + (i + 1) + ": unknown action '" + excerpt(words[i])
                        + "' (known: move, turnLeft, turnRight, pickMarker, putMarker)");
            }
            actions.add(a);
        }
        return new Program(actions);
    }

    private static String excerpt(String s) {
        String one = s.replace("\n", "\\n");
        return one.length() <= 40 ? one : one.substring(0, 37) + "...";
    }
}
