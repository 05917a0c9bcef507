package org.karellab.lm;

import java.util.ArrayList;
import java.util.List;
import org.karellab.data.LengthRange;
import org.karellab.world.KarelException;

/**
 * Which program lengths training draws from as training goes on. Written {@code none} (every
 * length of the training split, always) or as stages {@code RANGE@FRACTION,...}, e.g.
 * {@code 1-2@0,1-5@0.1,1-10@0.3}: from 0% of the steps lengths 1-2, from 10% lengths 1-5, from 30%
 * lengths 1-10. Stages must start at 0 and be in increasing order. Lengths absent from the
 * training split are skipped; a stage with none of its lengths present is an error.
 */
public record Curriculum(List<Stage> stages) {
    public record Stage(double from, LengthRange lengths) {
    }

    public static final Curriculum NONE = new Curriculum(List.of());

    public static Curriculum parse(String text) {
        String t = text.trim();
        if (t.isEmpty() || t.equals("none")) {
            return NONE;
        }
        List<Stage> stages = new ArrayList<>();
        for (String part : t.split(",")) {
            int at = part.indexOf('@');
            if (at < 0) {
                throw new KarelException("curriculum '" + text + "': stage '" + part.trim() + "' is not RANGE@FRACTION");
            }
            double from;
            try {
                from = Double.parseDouble(part.substring(at + 1).trim());
            } catch (NumberFormatException e) {
                throw new KarelException("curriculum '" + text + "': '" + part.substring(at + 1).trim() + "' is not a fraction");
            }
            double last = stages.isEmpty() ? -1 : stages.get(stages.size() - 1).from();
            if (from < 0 || from >= 1 || from <= last || (stages.isEmpty() && from != 0)) {
                throw new KarelException("curriculum '" + text + "': stage starts must be 0 first, then increase, below 1");
            }
            stages.add(new Stage(from, LengthRange.parse(part.substring(0, at))));
        }
        return new Curriculum(List.copyOf(stages));
    }

    /** Lengths allowed at {@code step} of {@code totalSteps}; null means every length. */
    public LengthRange at(long step, long totalSteps) {
        LengthRange r = null;
        double f = totalSteps <= 0 ? 1 : (double) step / totalSteps;
        for (Stage s : stages) {
            if (f >= s.from()) {
                r = s.lengths();
            }
        }
        return r;
    }

    @Override
    public String toString() {
        if (stages.isEmpty()) {
            return "none";
        }
        StringBuilder sb = new StringBuilder();
        for (Stage s : stages) {
            sb.append(sb.length() == 0 ? "" : ",").append(s.lengths()).append('@').append(s.from());
        }
        return sb.toString();
    }
}
