package org.karellab.notebook;

import jdk.jshell.DeclarationSnippet;
import jdk.jshell.Diag;
import jdk.jshell.EvalException;
import jdk.jshell.JShell;
import jdk.jshell.JShellException;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;
import jdk.jshell.SourceCodeAnalysis.CompletionInfo;
import jdk.jshell.SourceCodeAnalysis.Completeness;
import jdk.jshell.UnresolvedReferenceException;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Evaluates notebook cells with JShell running in this JVM: definitions persist from cell to cell, and the
 * value of a cell's last expression is returned as an object for rendering.
 * <p>
 * A cell is split into JShell snippets and run one snippet at a time, so a class path added by one statement
 * is visible to the next. The first failure ends the cell with a {@link CellException} that points into the
 * cell by line number; the evaluator itself stays usable. A {@code null} result means "nothing to show": the
 * cell ended with a statement or declaration, or its last expression was {@code null}.
 */
public final class CellEvaluator implements AutoCloseable {

    /** Imports every cell starts with; the last one brings {@code display(...)} into scope. */
    private static final List<String> STARTUP = List.of(
            "import java.io.*;",
            "import java.math.*;",
            "import java.nio.file.*;",
            "import java.util.*;",
            "import java.util.function.*;",
            "import java.util.stream.*;",
            "import static " + Notebook.class.getName() + ".*;");

    private static final Set<Snippet.SubKind> VALUE_KINDS = Set.of(
            Snippet.SubKind.TEMP_VAR_EXPRESSION_SUBKIND,
            Snippet.SubKind.VAR_VALUE_SUBKIND,
            Snippet.SubKind.OTHER_EXPRESSION_SUBKIND);

    private static final int MAX_FRAMES = 12;
    private static final Pattern JSHELL_WRAPPER = Pattern.compile("REPL\\.\\$JShell\\$\\d+\\w*\\.");

    private final InProcessExecutionControl control = new InProcessExecutionControl();
    private final JShell shell;
    private final SourceCodeAnalysis analysis;

    /** Snippet id to the line of its cell where the snippet starts, for stack traces. */
    private final Map<String, Integer> snippetStartLine = new HashMap<>();
    private final Set<String> currentCellSnippets = new HashSet<>();
    private volatile boolean interruptRequested;

    public CellEvaluator() {
        shell = JShell.builder().executionEngine(control.provider(), Map.of()).build();
        analysis = shell.sourceCodeAnalysis();
        for (String line : STARTUP) {
            eval(line);
        }
    }

    /**
     * Runs a cell and returns the value of its last snippet if that is an expression, else null.
     *
     * @throws CompilationException if a snippet does not compile (earlier snippets have run)
     * @throws EvaluationException if a snippet throws
     * @throws CellInterruptedException if {@link #interrupt()} stopped the cell
     */
    public Object eval(String cell) {
        interruptRequested = false;
        control.startCell();
        currentCellSnippets.clear();
        Object result = null;
        String rest = cell;
        CompletionInfo info = analysis.analyzeCompletion(rest);
        while (info.completeness() != Completeness.EMPTY) {
            // incomplete input (an unclosed brace, say) is run anyway so the compiler can say what is missing
            String source = info.completeness().isComplete() ? info.source() : rest;
            // JShell miscounts stack trace lines of a snippet that starts with blank lines: drop them
            int blank = leadingWhitespace(source);
            result = evalSnippet(source.substring(blank), cell, cell.length() - rest.length() + blank);
            if (!info.completeness().isComplete()) {
                break;
            }
            rest = info.remaining();
            info = analysis.analyzeCompletion(rest);
        }
        return result;
    }

    /** Stops the running cell, if any; callable from any thread. */
    public void interrupt() {
        interruptRequested = true;
        shell.stop();
    }

    /** Adds jars or class directories, joined with the path separator, to the class path of later snippets. */
    public void addToClasspath(String path) {
        shell.addToClasspath(path);
    }

    /** How complete {@code code} is once its complete statements are taken off: EMPTY if nothing is left. */
    public Completeness completeness(String code) {
        CompletionInfo info = analysis.analyzeCompletion(code);
        while (info.completeness() == Completeness.COMPLETE || info.completeness() == Completeness.COMPLETE_WITH_SEMI) {
            info = analysis.analyzeCompletion(info.remaining());
        }
        return info.completeness();
    }

    /** Completion candidates at {@code cursor}; {@code anchor[0]} receives where the replaced text starts. */
    public List<String> completions(String code, int cursor, int[] anchor) {
        return analysis.completionSuggestions(code, cursor, anchor).stream()
                .map(SourceCodeAnalysis.Suggestion::continuation)
                .distinct()
                .toList();
    }

    /** Signatures (and with {@code javadoc}, their documentation) of what is at {@code cursor}. */
    public List<String> documentation(String code, int cursor, boolean javadoc) {
        return analysis.documentation(code, cursor, javadoc).stream()
                .map(doc -> javadoc && doc.javadoc() != null ? doc.signature() + "\n\n" + doc.javadoc() : doc.signature())
                .toList();
    }

    @Override
    public void close() {
        shell.close();
    }

    private Object evalSnippet(String source, String cell, int offset) {
        List<SnippetEvent> events = shell.eval(source);
        Object value = control.takeLastValue();
        if (interruptRequested) {
            throw new CellInterruptedException();
        }
        int startLine = lineAt(cell, offset);
        Object result = null;
        for (SnippetEvent event : events) {
            if (event.causeSnippet() != null) {
                continue; // an older snippet updated because of this one
            }
            Snippet snippet = event.snippet();
            snippetStartLine.put(snippet.id(), startLine);
            currentCellSnippets.add(snippet.id());
            if (event.exception() != null) {
                throw runtimeFailure(event.exception(), startLine);
            }
            if (event.status() == Snippet.Status.REJECTED || event.status() == Snippet.Status.RECOVERABLE_NOT_DEFINED) {
                throw compileFailure(snippet, cell, offset);
            }
            result = VALUE_KINDS.contains(snippet.subKind()) ? value : null;
        }
        return result;
    }

    private CompilationException compileFailure(Snippet snippet, String cell, int offset) {
        List<Diag> errors = shell.diagnostics(snippet).filter(Diag::isError).toList();
        if (errors.isEmpty()) {
            int line = lineAt(cell, offset);
            String message = "line " + line + ": " + describe(snippet) + " needs " + unresolved(snippet) + ", which is not declared";
            return new CompilationException(line, message, List.of(message));
        }
        List<String> report = new ArrayList<>();
        for (Diag error : errors) {
            int at = offset + position(error);
            List<String> message = error.getMessage(Locale.ROOT).lines()
                    .filter(l -> !l.isBlank() && !l.strip().equals("location: class")) // JShell's nameless wrapper
                    .toList();
            report.add("line " + lineAt(cell, at) + ": " + (message.isEmpty() ? "does not compile" : message.get(0)));
            message.stream().skip(1).forEach(l -> report.add("    " + l.strip()));
            int lineStart = cell.lastIndexOf('\n', Math.min(at, cell.length()) - 1) + 1;
            int lineEnd = cell.indexOf('\n', lineStart);
            report.add("    " + cell.substring(lineStart, lineEnd < 0 ? cell.length() : lineEnd));
            report.add("    " + " ".repeat(Math.max(0, at - lineStart)) + "^");
        }
        return new CompilationException(lineAt(cell, offset + position(errors.get(0))), report.get(0), report);
    }

    private static int position(Diag diag) {
        return diag.getPosition() == Diag.NOPOS ? 0 : (int) diag.getPosition();
    }

    private EvaluationException runtimeFailure(JShellException exception, int startLine) {
        if (exception instanceof UnresolvedReferenceException unresolved) {
            DeclarationSnippet snippet = unresolved.getSnippet();
            String message = "line " + startLine + ": " + describe(snippet) + " cannot run until " + unresolved(snippet) + " is declared";
            return new EvaluationException(UnresolvedReferenceException.class.getName(), message, List.of(message));
        }
        EvalException thrown = (EvalException) exception;
        List<String> report = new ArrayList<>();
        for (Throwable e = thrown; e != null; e = e.getCause()) {
            report.add((e == thrown ? "" : "Caused by: ") + headline(e));
            StackTraceElement[] frames = e.getStackTrace();
            for (int i = 0; i < Math.min(frames.length, MAX_FRAMES); i++) {
                report.add("    at " + frame(frames[i]));
            }
            if (frames.length > MAX_FRAMES) {
                report.add("    ... " + (frames.length - MAX_FRAMES) + " more");
            }
        }
        return new EvaluationException(thrown.getExceptionClassName(), headline(thrown), report);
    }

    /**
     * "class: message", without JShell's wrapper class names (helpful NullPointerException messages name
     * cell variables "REPL.$JShell$16.o"). JShell turns a missing message into the text "null".
     */
    private static String headline(Throwable e) {
        String className = e instanceof EvalException thrown ? thrown.getExceptionClassName() : e.getClass().getName();
        String message = e.getMessage();
        return message == null || message.equals("null") ? className
                : className + ": " + JSHELL_WRAPPER.matcher(message).replaceAll("");
    }

    /** A stack frame, with JShell's snippet frames ("#12", line within the snippet) turned into cell lines. */
    private String frame(StackTraceElement frame) {
        String file = frame.getFileName();
        if (file == null || !file.startsWith("#")) {
            return frame.toString();
        }
        String id = file.substring(1);
        String method = frame.getMethodName().isEmpty() ? "<cell>"
                : frame.getClassName().isEmpty() ? frame.getMethodName()
                : frame.getClassName() + "." + frame.getMethodName();
        Integer start = snippetStartLine.get(id);
        if (start == null) {
            return method + "(snippet " + id + ")";
        }
        int line = start + Math.max(frame.getLineNumber(), 1) - 1;
        return method + "(line " + line + (currentCellSnippets.contains(id) ? "" : " of an earlier cell") + ")";
    }

    private String unresolved(Snippet snippet) {
        return snippet instanceof DeclarationSnippet declaration
                ? shell.unresolvedDependencies(declaration).collect(Collectors.joining(", "))
                : "something";
    }

    private static String describe(Snippet snippet) {
        return snippet instanceof DeclarationSnippet declaration ? declaration.name() : "the statement";
    }

    private static int leadingWhitespace(String text) {
        int i = 0;
        while (i < text.length() && Character.isWhitespace(text.charAt(i))) {
            i++;
        }
        return i;
    }

    /** 1-based line number of character {@code index} in {@code text}. */
    private static int lineAt(String text, int index) {
        int line = 1;
        for (int i = 0; i < Math.min(index, text.length()); i++) {
            if (text.charAt(i) == '\n') {
                line++;
            }
        }
        return line;
    }
}
