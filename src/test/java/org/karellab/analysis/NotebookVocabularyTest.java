package org.karellab.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.karellab.probe.Results;
import org.karellab.probe.Results.Lm;
import org.karellab.probe.Results.Task;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * The notebooks select rows of {@code results.csv} through {@link Results}' constants and
 * {@link Selections}, never by pasting a value of its vocabulary ({@code "trained"}, {@code "real"},
 * {@code "dummy"}, {@code "original"}, {@code "trained/real"}, ...) into a filter: a renamed value
 * then changes one place, and a notebook cannot silently select nothing.
 */
class NotebookVocabularyTest {
    /** Every value of the row vocabulary that a filter could paste. */
    static List<String> vocabulary() {
        List<String> v = new ArrayList<>(List.of(Results.DUMMY, Results.ORIGINAL));
        for (Lm lm : Lm.values()) {
            v.add(lm.id);
            for (Task task : Task.values()) {
                v.add(Selections.condition(lm, task));
            }
        }
        for (Task task : Task.values()) {
            v.add(task.id);
        }
        return v;
    }

    /** The vocabulary literals passed to a row filter in {@code code}, one per occurrence. */
    static List<String> pastedValues(String code) {
        List<String> found = new ArrayList<>();
        // a call that selects or compares rows, with a quoted argument before the statement ends
        Matcher call = Pattern.compile("(isEqualTo|isNotEqualTo|isIn|isNotIn|where|difference|remove|List\\.of)\\(([^;]*)").matcher(code);
        while (call.find()) {
            Matcher lit = Pattern.compile("\"([^\"]*)\"").matcher(call.group(2));
            while (lit.find()) {
                if (vocabulary().contains(lit.group(1))) {
                    found.add(lit.group(1));
                }
            }
        }
        return found;
    }

    @Test
    void findsAPastedValueAndIgnoresConstantsAndColumnNames() {
        assertEquals(List.of("dummy"), pastedValues("t.where(t.stringColumn(\"probe\").isNotEqualTo(\"dummy\"))"));
        assertEquals(List.of("trained/real", "random_init/real"),
                pastedValues("Measures.difference(b, s, m, \"condition\", \"trained/real\", \"random_init/real\", \"probe\")"));
        assertEquals(List.of(), pastedValues("t.where(t.stringColumn(Results.PROBE).isNotEqualTo(Results.DUMMY))"));
        assertEquals(List.of(), pastedValues("DoubleColumn.create(\"trained\")"), "a new table's own column name is not a filter");
        assertEquals(List.of("trained/real"), pastedValues("Measures.difference(b, s, m, Selections.CONDITION,\n    \"trained/real\", other);"),
                "an argument on the call's next line");
    }

    @Test
    void conditionNamesTheLmAndTaskAsWithConditionWritesThem() {
        Table t = Table.create("r", StringColumn.create(Results.LM, Lm.RANDOM_INIT.id, Lm.TRAINED.id),
                StringColumn.create(Results.TASK, Task.REAL.id, Task.SYNTAX.id));
        Table c = Selections.withCondition(t);
        assertEquals(List.of(Selections.condition(Lm.RANDOM_INIT, Task.REAL), Selections.condition(Lm.TRAINED, Task.SYNTAX)),
                c.stringColumn(Selections.CONDITION).asList());
        assertEquals("random_init/real", c.stringColumn(Selections.CONDITION).get(0));
        assertFalse(t.containsColumn(Selections.CONDITION), "the input table is left as it was");
    }

    @Test
    void noNotebookPastesTheRowVocabulary() throws IOException {
        Path dir = Path.of("notebooks");
        assertTrue(Files.isDirectory(dir), "run from the project root: " + dir.toAbsolutePath());
        List<String> problems = new ArrayList<>();
        ObjectMapper json = new ObjectMapper();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path nb : files.filter(p -> p.toString().endsWith(".ipynb")).sorted().toList()) {
                int cell = 0;
                for (JsonNode c : json.readTree(nb.toFile()).get("cells")) {
                    cell++;
                    if (!c.get("cell_type").asText().equals("code")) {
                        continue;
                    }
                    StringBuilder code = new StringBuilder();
                    c.get("source").forEach(line -> code.append(line.asText()));
                    for (String v : pastedValues(code.toString())) {
                        problems.add(nb.getFileName() + " cell " + cell + ": \"" + v + "\"");
                    }
                }
            }
        }
        assertEquals(List.of(), problems, "use Results' constants or Selections instead of the literal");
    }
}
