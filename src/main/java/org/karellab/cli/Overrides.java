package org.karellab.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.karellab.world.KarelException;

/** {@code --set KEY=VALUE} options as an ordered map. */
final class Overrides {
    private Overrides() {
    }

    static Map<String, String> parse(List<String> sets) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String s : sets) {
            int eq = s.indexOf('=');
            if (eq <= 0) {
                throw new KarelException("--set '" + s + "' is not KEY=VALUE");
            }
            m.put(s.substring(0, eq).trim(), s.substring(eq + 1).trim());
        }
        return m;
    }
}
