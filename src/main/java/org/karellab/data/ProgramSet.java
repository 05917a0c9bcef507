package org.karellab.data;

import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import org.karellab.world.Action;
import org.karellab.world.Program;

/**
 * The distinct programs of a split (or any collection), to ask whether a program occurs in it:
 * evaluation uses it to tell test programs the model has seen verbatim in training from unseen
 * ones. Programs of up to {@value #PACKED_MAX} actions are packed into one {@code long} each
 * (base 6, one digit per action) and kept sorted, so the 500,000 programs of a default train
 * split take about 4 MB and are read in a fraction of a second; longer programs go to a hash set.
 */
public final class ProgramSet {
    /** Longest program packed into a long: 6^24 < 2^63. */
    static final int PACKED_MAX = 24;
    private static final int BASE = Action.count() + 1;

    private final long[] packed;        // sorted, distinct
    private final Set<Program> longer;  // programs longer than PACKED_MAX

    private ProgramSet(long[] keys, int n, Set<Program> longer) {
        long[] sorted = Arrays.copyOf(keys, n);
        Arrays.sort(sorted);
        int distinct = 0;
        for (int i = 0; i < sorted.length; i++) {
            if (i == 0 || sorted[i] != sorted[i - 1]) {
                sorted[distinct++] = sorted[i];
            }
        }
        this.packed = Arrays.copyOf(sorted, distinct);
        this.longer = longer;
    }

    /** No programs at all. */
    public static ProgramSet empty() {
        return new ProgramSet(new long[0], 0, Set.of());
    }

    /** The programs of every record of {@code file}. */
    public static ProgramSet of(DatasetFile file) {
        return of(file, null);
    }

    /**
     * The programs of the records of {@code file} whose length is in {@code lengths} (every
     * record when null): a run that trains on part of its train split has seen only that part.
     */
    public static ProgramSet of(DatasetFile file, LengthRange lengths) {
        long[] keys = new long[file.size()];
        int n = 0;
        Set<Program> longer = new HashSet<>();
        for (int i = 0; i < file.size(); i++) {
            if (lengths != null && !lengths.contains(file.programLength(i))) {
                continue;
            }
            Program p = file.program(i);
            if (p.length() <= PACKED_MAX) {
                keys[n++] = pack(p);
            } else {
                longer.add(p);
            }
        }
        return new ProgramSet(keys, n, longer);
    }

    /** The distinct programs of {@code programs}. */
    public static ProgramSet of(Collection<Program> programs) {
        long[] keys = new long[programs.size()];
        int n = 0;
        Set<Program> longer = new HashSet<>();
        for (Program p : programs) {
            if (p.length() <= PACKED_MAX) {
                keys[n++] = pack(p);
            } else {
                longer.add(p);
            }
        }
        return new ProgramSet(keys, n, longer);
    }

    /** Does {@code p} occur (action for action) in the set? */
    public boolean contains(Program p) {
        return p.length() <= PACKED_MAX ? Arrays.binarySearch(packed, pack(p)) >= 0 : longer.contains(p);
    }

    /** Number of distinct programs. */
    public int size() {
        return packed.length + longer.size();
    }

    /** Digits 1..5 (action ordinal + 1), first action most significant; the empty program is 0. */
    static long pack(Program p) {
        long key = 0;
        for (int i = 0; i < p.length(); i++) {
            key = key * BASE + p.get(i).ordinal() + 1;
        }
        return key;
    }
}
