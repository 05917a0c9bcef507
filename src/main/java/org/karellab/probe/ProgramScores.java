package org.karellab.probe;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.karellab.world.KarelException;
import tech.tablesaw.api.ColumnType;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.io.csv.CsvReadOptions;

/**
 * Per-program sums of the sweep's {@code seed=all} rows ({@value Sweep#PROGRAMS}): for each
 * measurement id (the row's key columns joined by {@code |}, see {@link #id}) and each test
 * program, the {@link Bootstrap} sums {@code n, a, b, c} (accuracy: rows, correct, in the majority
 * class; R^2: rows, squared error, target sum, target sum of squares), averaged over probe seeds.
 * Programs without rows are left out. Two ids of the same checkpoint share their programs, so
 * any paired difference can be bootstrapped from here. P-probing writes the same format for its
 * cells ({@code pprobe --program-scores}; ids from {@code PProbe.scoreId}).
 */
public final class ProgramScores {
    public static final String ID = "id";
    public static final String PROGRAM = "program";
    private static final String[] SUMS = {"n", "a", "b", "c"};

    private final Table table;
    private Map<String, int[]> index; // id -> row range [from, to)

    private ProgramScores(Table table) {
        this.table = table;
    }

    public Table table() {
        return table;
    }

    /** An empty table of per-program sums. */
    public static Table empty() {
        Table t = Table.create("programs", StringColumn.create(ID), IntColumn.create(PROGRAM));
        for (String s : SUMS) {
            t.addColumns(DoubleColumn.create(s));
        }
        return t;
    }

    /** Appends the rows of {@code sums} ({@code (programs, k)}, k up to 4) under {@code id}; programs without rows are left out. */
    public static void append(Table t, String id, double[][] sums) {
        for (int p = 0; p < sums.length; p++) {
            if (sums[p][Bootstrap.N] == 0) {
                continue;
            }
            t.stringColumn(ID).append(id);
            t.intColumn(PROGRAM).append(p);
            for (int j = 0; j < SUMS.length; j++) {
                t.doubleColumn(SUMS[j]).append(j < sums[p].length ? sums[p][j] : 0);
            }
        }
    }

    public static ProgramScores read(Path csv) {
        try {
            Table t = Table.read().csv(CsvReadOptions.builder(csv.toFile()).columnTypes(name -> switch (name) {
                case ID -> ColumnType.STRING;
                case PROGRAM -> ColumnType.INTEGER;
                default -> ColumnType.DOUBLE;
            }).build());
            if (t.rowCount() == 0) {
                return new ProgramScores(empty());
            }
            return new ProgramScores(t);
        } catch (RuntimeException e) {
            throw new KarelException(csv + ": unreadable program scores: " + e.getMessage(), e);
        }
    }

    /** The rows part of an id: {@code rows}, or {@code rows@vs} for original rows scored on an alternative's rows. */
    static String rowsId(String rows, String vs) {
        return vs == null || vs.isEmpty() || vs.equals("-") ? rows : rows + "@" + vs;
    }

    /** The id of a results row: {@code step|lm|task|probe|layer|semantics|offset|feature|metric|rows[@vs]}. */
    public static String id(Table results, int row) {
        return String.join("|", Long.toString(results.longColumn(Results.STEP).get(row)),
                results.stringColumn(Results.LM).get(row), results.stringColumn(Results.TASK).get(row),
                results.stringColumn(Results.PROBE).get(row), results.stringColumn(Results.LAYER).get(row),
                results.stringColumn(Results.SEMANTICS).get(row), Integer.toString(results.intColumn(Results.OFFSET).get(row)),
                results.stringColumn(Results.FEATURE).get(row), results.stringColumn(Results.METRIC).get(row),
                rowsId(results.stringColumn(Results.ROWS).get(row), results.stringColumn(Results.VS).get(row)));
    }

    /**
     * The sums of one measurement as a {@code (programs, 4)} matrix over {@code programs} test
     * programs (rows of programs without data are zero; all zero for an id without test rows).
     */
    public double[][] sums(String id, int programs) {
        int[] range = index().get(id);
        double[][] out = new double[programs][SUMS.length];
        if (range == null) {
            return out; // a measurement without test rows (e.g. no row is world-dependent) has no entries
        }
        IntColumn program = table.intColumn(PROGRAM);
        for (int i = range[0]; i < range[1]; i++) {
            int p = program.get(i);
            if (p >= programs) {
                throw new KarelException(id + ": program " + p + " beyond the " + programs + " test programs");
            }
            for (int j = 0; j < SUMS.length; j++) {
                out[p][j] = table.doubleColumn(SUMS[j]).get(i);
            }
        }
        return out;
    }

    /** Whether {@code id} has rows. */
    public boolean has(String id) {
        return index().containsKey(id);
    }

    private Map<String, int[]> index() {
        if (index == null) {
            index = new HashMap<>();
            StringColumn ids = table.stringColumn(ID);
            for (int i = 0; i < table.rowCount(); i++) {
                int row = i;
                index.compute(ids.get(i), (k, r) -> r == null ? new int[] {row, row + 1} : new int[] {r[0], row + 1});
            }
        }
        return index;
    }

    /** The number of programs: one more than the largest program index of any id (0 when empty). */
    public int programs() {
        return programs("");
    }

    /** The number of test programs of a checkpoint: one more than the largest program index seen for it. */
    public int programs(long step) {
        return programs(step + "|");
    }

    /** One more than the largest program index among the ids that start with {@code prefix}. */
    private int programs(String prefix) {
        int max = -1;
        StringColumn ids = table.stringColumn(ID);
        for (int i = 0; i < table.rowCount(); i++) {
            if (ids.get(i).startsWith(prefix)) {
                max = Math.max(max, table.intColumn(PROGRAM).get(i));
            }
        }
        return max + 1;
    }
}
