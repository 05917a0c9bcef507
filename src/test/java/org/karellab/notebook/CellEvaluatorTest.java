package org.karellab.notebook;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CellEvaluatorTest {

    private static CellEvaluator evaluator;

    @BeforeAll
    static void startShell() {
        evaluator = new CellEvaluator();
    }

    @AfterAll
    static void closeShell() {
        evaluator.close();
    }

    @Test
    void lastExpressionIsTheCellValue() {
        assertEquals(2, evaluator.eval("1 + 1"));
        assertEquals("ab", evaluator.eval("String a = \"a\";\na + \"b\""));
    }

    @Test
    void cellEndingInStatementOrDeclarationHasNoValue() {
        assertNull(evaluator.eval("1 + 1;\nint unused = 3;"));
        assertNull(evaluator.eval("System.out.println(\"printed, not returned\");"));
        assertNull(evaluator.eval("void nothing() {}"));
    }

    @Test
    void stateIsKeptBetweenCells() {
        evaluator.eval("int base = 20;");
        evaluator.eval("int twice(int v) { return 2 * v; }");
        assertEquals(42, evaluator.eval("twice(base) + 2"));
    }

    @Test
    void startupImportsAreInScope() {
        assertEquals(3, evaluator.eval("List.of(1, 2, 3).stream().collect(Collectors.toList()).size()"));
    }

    @Test
    void throwingCellReportsTheExceptionWithCellLinesAndTheNextCellRuns() {
        EvaluationException e = assertThrows(EvaluationException.class, () -> evaluator.eval(
                "int count = 1;\n"
                        + "if (count == 1)\n"
                        + "    throw new IllegalStateException(\"boom\");"));
        assertEquals("java.lang.IllegalStateException", e.exceptionClassName());
        assertEquals("java.lang.IllegalStateException: boom", e.getMessage());
        assertEquals("java.lang.IllegalStateException: boom", e.report().get(0));
        assertTrue(e.report().contains("    at <cell>(line 3)"), () -> String.join("\n", e.report()));

        assertEquals(2, evaluator.eval("count + 1"));
    }

    /** If the rewriting failed, the test JVM would end here and the build would fail. */
    @Test
    void exitAndHaltFailTheCellAndKeepTheState() {
        evaluator.eval("int kept = 7;");
        Map<String, String> calls = Map.of("System.exit(3)", "System.exit(3)", "Runtime.getRuntime().exit(4)",
                "Runtime.exit(4)", "Runtime.getRuntime().halt(5)", "Runtime.halt(5)");
        calls.forEach((call, named) -> {
            EvaluationException e = assertThrows(EvaluationException.class, () -> evaluator.eval("kept++;\n" + call + ";"));
            assertEquals(CellExitError.class.getName(), e.exceptionClassName(), call);
            assertTrue(e.getMessage().contains(named + " was called in a cell: a cell cannot end the kernel"), e.getMessage());
            assertTrue(e.report().contains("    at <cell>(line 2)"), call + ": " + e.report());
        });
        // in a method, a lambda, a method reference and past a catch (Exception e): all refused
        evaluator.eval("void leave(int code) { System.exit(code); }");
        assertThrows(EvaluationException.class, () -> evaluator.eval("leave(1)"));
        assertThrows(EvaluationException.class, () -> evaluator.eval("Runnable r = () -> System.exit(2);\nr.run();"));
        assertThrows(EvaluationException.class, () -> evaluator.eval("java.util.function.IntConsumer c = System::exit;\nc.accept(6);"));
        assertThrows(EvaluationException.class, () -> evaluator.eval(
                "java.util.function.IntConsumer h = Runtime.getRuntime()::halt;\nh.accept(7);"));
        assertThrows(EvaluationException.class, () -> evaluator.eval("try { System.exit(8); } catch (Exception e) { }"));
        assertEquals(10, evaluator.eval("kept"), "every cell ran up to its exit call, and the state is kept");
    }

    @Test
    void theRewriteTouchesExitCallsOnly() throws IOException {
        byte[] withoutExit = classFile(CellEvaluator.class);
        assertSame(withoutExit, CellExits.rewrite(withoutExit), "a class without exit calls loads unchanged");
        byte[] kernel = classFile(JavaKernel.class);                           // main() calls System.exit(2)
        byte[] rewritten = CellExits.rewrite(kernel);
        assertTrue(contains(rewritten, "systemExit") && !contains(kernel, "systemExit"));
        assertSame(rewritten, CellExits.rewrite(rewritten), "nothing left to rewrite");
    }

    private static byte[] classFile(Class<?> c) throws IOException {
        try (InputStream in = c.getResourceAsStream(c.getSimpleName() + ".class")) {
            return in.readAllBytes();
        }
    }

    private static boolean contains(byte[] bytes, String ascii) {
        return new String(bytes, StandardCharsets.ISO_8859_1).contains(ascii);
    }

    @Test
    void stackTraceShowsUserFramesOnlyAndCauses() {
        evaluator.eval("void fail() {\n    throw new RuntimeException(\"outer\", new ArithmeticException(\"inner\"));\n}");
        EvaluationException e = assertThrows(EvaluationException.class, () -> evaluator.eval("\n\nfail();"));
        String report = String.join("\n", e.report());
        assertTrue(report.contains("at fail(line 2 of an earlier cell)"), report);
        assertTrue(report.contains("at <cell>(line 3)"), report);
        assertTrue(report.contains("Caused by: java.lang.ArithmeticException: inner"), report);
        assertTrue(!report.contains("jdk.jshell") && !report.contains("reflect") && !report.contains("InProcessExecutionControl"), report);
    }

    @Test
    void exceptionMessagesDoNotNameJShellWrappers() {
        EvaluationException e = assertThrows(EvaluationException.class, () -> evaluator.eval("String nothing = null;\nnothing.length()"));
        assertEquals("java.lang.NullPointerException: Cannot invoke \"String.length()\" because \"nothing\" is null", e.getMessage());
    }

    @Test
    void compileErrorNamesItsLineAndTheShellSurvives() {
        CompilationException e = assertThrows(CompilationException.class, () -> evaluator.eval(
                "int fine = 1;\n"
                        + "String s = fine.length();\n"
                        + "int never = 2;"));
        assertEquals(2, e.line());
        assertTrue(e.getMessage().startsWith("line 2: int cannot be dereferenced"), e.getMessage());
        assertTrue(e.report().contains("    String s = fine.length();"), () -> String.join("\n", e.report()));

        assertEquals(1, evaluator.eval("fine"));
        assertThrows(CompilationException.class, () -> evaluator.eval("never"));
    }

    @Test
    void unknownSymbolAndUnclosedBraceAreCompileErrors() {
        CompilationException unknown = assertThrows(CompilationException.class, () -> evaluator.eval("\nnoSuchVariable + 1"));
        assertEquals(2, unknown.line());
        assertTrue(unknown.report().contains("    symbol:   variable noSuchVariable"), () -> String.join("\n", unknown.report()));

        CompilationException unclosed = assertThrows(CompilationException.class, () -> evaluator.eval("int ok2 = 1;\nvoid open() {\n  int x = 1;"));
        assertTrue(unclosed.line() >= 2, unclosed.getMessage());
    }

    @Test
    void interruptStopsABusyLoopAndTheNextCellRuns() {
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        try {
            timer.schedule(evaluator::interrupt, 500, TimeUnit.MILLISECONDS);
            assertTimeoutPreemptively(Duration.ofSeconds(30), () ->
                    assertThrows(CellInterruptedException.class, () -> evaluator.eval("long spins = 0;\nwhile (true) { spins++; }")));
            timer.schedule(evaluator::interrupt, 500, TimeUnit.MILLISECONDS);
            assertTimeoutPreemptively(Duration.ofSeconds(30), () ->
                    assertThrows(CellInterruptedException.class, () -> evaluator.eval("Thread.sleep(60_000);")));
        } finally {
            timer.shutdownNow();
        }
        assertEquals(7, evaluator.eval("3 + 4"));
    }
}
