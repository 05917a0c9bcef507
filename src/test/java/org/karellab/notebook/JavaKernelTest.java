package org.karellab.notebook;

import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.tools.ToolProvider;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The kernel without sockets: magics, rendering of cell results, error formatting. */
class JavaKernelTest {

    private static JavaKernel kernel;

    @TempDir
    static Path tmp;

    @BeforeAll
    static void startKernel() {
        kernel = new JavaKernel();
        kernel.onStartup();
    }

    @AfterAll
    static void stopKernel() {
        kernel.onShutdown(false);
    }

    @Test
    void onePlusOneRendersAsTwo() {
        assertEquals("2", kernel.eval("1+1").getData(MIMEType.TEXT_PLAIN));
    }

    @Test
    void jarsMagicAddsJarsMatchingAGlob() throws Exception {
        Path classes = compile("jarsdemo", "Greeter", "public static String hi() { return \"hi from jar\"; }");
        Path jar = jar(classes, tmp.resolve("libs/greeter-1.0.jar"));
        assertThrows(CompilationException.class, () -> kernel.evalRaw("jarsdemo.Greeter.hi()"));

        Object value = kernel.evalRaw("%jars " + jar.getParent() + "/*.jar\njarsdemo.Greeter.hi()");
        assertEquals("hi from jar", value);
    }

    @Test
    void classpathMagicAddsAClassDirectory() throws Exception {
        Path classes = compile("cpdemo", "Answer", "public static int get() { return 42; }");
        assertThrows(CompilationException.class, () -> kernel.evalRaw("cpdemo.Answer.get()"));

        assertNull(kernel.evalRaw("%classpath " + classes));
        assertEquals(42, kernel.evalRaw("import cpdemo.Answer;\nAnswer.get()"));
    }

    @Test
    void magicWithNothingToAddFailsWithAClearMessage() {
        EvaluationException e = assertThrows(EvaluationException.class, () -> kernel.evalRaw("%jars " + tmp + "/nowhere/*.jar"));
        assertTrue(e.getMessage().contains("no jar file matches '" + tmp + "/nowhere/*.jar'"), e.getMessage());
        assertEquals(5, kernel.evalRaw("5"));
    }

    @Test
    void recordDeclaredInACellRendersAsHtml() {
        kernel.evalRaw("record Score(String probe, int correct) {}");
        DisplayData data = kernel.eval("new Score(\"linear\", 7)");
        assertTrue(((String) data.getData(MIMEType.TEXT_HTML)).contains("<tr><th>correct</th><td>7</td></tr>"));
    }

    @Test
    void kitLibrariesAreImportableAndChartsRenderAsPng() {
        DisplayData data = kernel.eval("import org.knowm.xchart.*;\n"
                + "QuickChart.getChart(\"t\", \"x\", \"y\", \"s\", new double[]{1, 2}, new double[]{3, 4})");
        assertTrue(data.hasDataForType(MIMEType.IMAGE_PNG));
        DisplayData table = kernel.eval("tech.tablesaw.api.Table.create(\"t\", tech.tablesaw.api.IntColumn.create(\"n\", 1, 2))");
        assertTrue(table.hasDataForType(MIMEType.TEXT_HTML));
    }

    @Test
    void displayIsInScopeAndReturnsNothing() {
        assertNull(kernel.eval("display(\"shown\")"));
    }

    @Test
    void errorsAreFormattedFromTheCellReport() {
        CompilationException e = assertThrows(CompilationException.class, () -> kernel.evalRaw("int a = 1;\nint b = missing;"));
        String formatted = String.join("\n", kernel.formatError(e));
        assertTrue(formatted.contains("line 2: cannot find symbol"), formatted);
        assertTrue(formatted.contains("int b = missing;"), formatted);
    }

    private static Path compile(String pkg, String className, String body) throws IOException {
        Path src = tmp.resolve("src-" + pkg + "/" + pkg + "/" + className + ".java");
        Files.createDirectories(src.getParent());
        Files.writeString(src, "package " + pkg + ";\npublic class " + className + " {\n" + body + "\n}\n");
        Path out = tmp.resolve("classes-" + pkg);
        int status = ToolProvider.getSystemJavaCompiler().run(null, null, null, "-d", out.toString(), src.toString());
        assertEquals(0, status, "test class did not compile");
        return out;
    }

    private static Path jar(Path classes, Path jar) throws IOException {
        Files.createDirectories(jar.getParent());
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file);
             var paths = Files.walk(classes)) {
            for (Path p : paths.filter(Files::isRegularFile).toList()) {
                out.putNextEntry(new JarEntry(classes.relativize(p).toString().replace('\\', '/')));
                out.write(Files.readAllBytes(p));
                out.closeEntry();
            }
        }
        return jar;
    }
}
