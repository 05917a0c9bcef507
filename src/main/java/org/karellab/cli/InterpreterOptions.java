package org.karellab.cli;

import org.karellab.world.CrashPolicy;
import org.karellab.world.Interpreter;
import org.karellab.world.Semantics;
import picocli.CommandLine.Option;

/** --semantics and --crash-policy, shared by the commands that run programs. */
final class InterpreterOptions {
    @Option(names = "--semantics", description = "original (default); a reference name (opposite1, random1, perm1, "
            + "unsemantic1-4, perm_nomarks_1-5); flip (= opposite1) or adversarial (= unsemantic1); or a mapping "
            + "written=executed,... e.g. pickMarker=putMarker,putMarker=pickMarker")
    String semantics = "original";

    @Option(names = "--crash-policy", description = "noop (default), halt or error")
    String crashPolicy = "noop";

    Interpreter interpreter() {
        return new Interpreter(Semantics.parse(semantics), CrashPolicy.byName(crashPolicy));
    }
}
