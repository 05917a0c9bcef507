package org.karellab.notebook;

import jdk.jshell.SourceCodeAnalysis.Completeness;
import org.dflib.jjava.jupyter.channels.JupyterConnection;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.jupyter.kernel.JupyterIO;
import org.dflib.jjava.jupyter.kernel.KernelConnectionProperties;
import org.dflib.jjava.jupyter.kernel.LanguageInfo;
import org.dflib.jjava.jupyter.kernel.ReplacementOptions;
import org.dflib.jjava.jupyter.kernel.comm.CommManager;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.display.Renderer;
import org.dflib.jjava.jupyter.kernel.magic.MagicParser;
import org.dflib.jjava.jupyter.kernel.magic.MagicTranspiler;
import org.dflib.jjava.jupyter.kernel.magic.MagicsRegistry;
import org.dflib.jjava.jupyter.kernel.util.PathsHandler;
import org.dflib.jjava.jupyter.kernel.util.StringStyler;
import org.dflib.jjava.jupyter.kernel.util.TextColor;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The Jupyter kernel for Java notebooks: JShell in this JVM, behind the JJava protocol layer.
 * <p>
 * Cells share the kernel's class path, so the kit and its dependencies import with no set-up step. Line
 * magics {@code %jars path-or-glob...} and {@code %classpath path...} add to it. Results render through
 * {@link NotebookRenderers}; {@code display(x)} shows a value mid-cell. Launched by Jupyter as
 * {@code java -cp ... org.karellab.notebook.JavaKernel CONNECTION_FILE}; interrupts arrive as messages
 * (kernelspec {@code "interrupt_mode": "message"}).
 */
public final class JavaKernel extends BaseKernel {

    private final CellEvaluator evaluator;

    public JavaKernel() {
        super("karel-lab-java",
                Objects.requireNonNullElse(JavaKernel.class.getPackage().getImplementationVersion(), "dev"),
                new LanguageInfo.Builder("java")
                        .version(Runtime.version().toString())
                        .mimetype("text/x-java-source")
                        .fileExtension(".jshell")
                        .pygments("java")
                        .codemirror("java")
                        .build(),
                List.of(),
                null,
                new JupyterIO(StandardCharsets.UTF_8),
                new CommManager(),
                new Renderer(),
                // a magic is a line starting with % ([ \t], not \s: a match must not swallow line breaks)
                new MagicParser("^[ \\t]*%", "%%", new MagicTranspiler()),
                new MagicsRegistry(),
                true,
                new StringStyler.Builder().addSecondaryStyle(TextColor.BOLD_RED_FG).build());
        NotebookRenderers.registerAll(renderer);
        magicsRegistry.registerLineMagic("jars", (kernel, args) -> {
            addJars(args);
            return null;
        });
        magicsRegistry.registerLineMagic("classpath", (kernel, args) -> {
            addClasspath(args);
            return null;
        });
        evaluator = new CellEvaluator();
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: java -cp ... " + JavaKernel.class.getName() + " CONNECTION_FILE");
            System.exit(2);
        }
        System.setProperty("java.awt.headless", "true"); // charts are drawn off-screen
        KernelConnectionProperties properties = KernelConnectionProperties.parse(Files.readString(Path.of(args[0])));
        JavaKernel kernel = new JavaKernel();
        kernel.onStartup();
        JupyterConnection connection = new JupyterConnection(properties);
        kernel.becomeHandlerForConnection(connection);
        connection.connect();
        connection.waitUntilClose();
        System.exit(0); // user code may have left non-daemon threads behind
    }

    @Override
    public Object evalRaw(String source) {
        return evaluator.eval(magicParser.resolveMagics(source));
    }

    @Override
    public DisplayData inspect(String code, int at, boolean extraDetail) {
        List<String> docs = evaluator.documentation(code, at, extraDetail);
        return docs.isEmpty() ? null : new DisplayData(String.join("\n\n", docs));
    }

    @Override
    public ReplacementOptions complete(String code, int at) {
        int[] anchor = new int[1];
        List<String> options = evaluator.completions(code, at, anchor);
        return new ReplacementOptions(options, anchor[0], at);
    }

    @Override
    public String isComplete(String code) {
        Completeness completeness = evaluator.completeness(code);
        return switch (completeness) {
            case UNKNOWN -> IS_COMPLETE_BAD;
            case CONSIDERED_INCOMPLETE, DEFINITELY_INCOMPLETE -> ""; // incomplete, no extra indent
            default -> IS_COMPLETE_YES;
        };
    }

    @Override
    public void interrupt() {
        evaluator.interrupt();
    }

    @Override
    public void onShutdown(boolean isRestarting) {
        evaluator.close();
        super.onShutdown(isRestarting);
    }

    @Override
    public List<String> formatError(Throwable e) {
        if (!(e instanceof CellException failure)) {
            return super.formatError(e);
        }
        List<String> lines = new ArrayList<>(failure.report());
        lines.set(0, errorStyler.secondary(lines.get(0)));
        return lines;
    }

    /** {@code %jars}: each argument is a jar file or a glob of them. */
    private void addJars(List<String> args) {
        List<Path> jars = new ArrayList<>();
        for (String arg : args) {
            List<Path> matches = resolve(arg).stream()
                    .filter(p -> Files.isRegularFile(p) && p.toString().endsWith(".jar"))
                    .toList();
            if (matches.isEmpty()) {
                throw new IllegalArgumentException("no jar file matches '" + arg + "'");
            }
            jars.addAll(matches);
        }
        evaluator.addToClasspath(PathsHandler.joinPaths(jars));
    }

    /** {@code %classpath}: each argument is a jar or class directory (or a glob, or several joined with ':'). */
    private void addClasspath(List<String> args) {
        List<Path> entries = new ArrayList<>();
        for (String arg : args) {
            for (String part : PathsHandler.split(arg)) {
                List<Path> matches = resolve(part);
                if (matches.isEmpty()) {
                    throw new IllegalArgumentException("nothing on disk matches '" + part + "'");
                }
                entries.addAll(matches);
            }
        }
        evaluator.addToClasspath(PathsHandler.joinPaths(entries));
    }

    /** Files matching a path or glob; none if a directory it names does not exist. */
    private static List<Path> resolve(String glob) {
        try {
            return PathsHandler.resolveGlobs(glob);
        } catch (RuntimeException e) {
            if (e.getCause() instanceof NoSuchFileException) {
                return List.of();
            }
            throw e;
        }
    }
}
