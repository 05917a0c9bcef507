package org.karellab.notebook;

import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.display.Renderer;
import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.QuickChart;
import org.knowm.xchart.XYChart;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.util.Arrays;
import java.util.Base64;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NotebookRenderersTest {

    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    private final Renderer renderer = new Renderer();

    NotebookRenderersTest() {
        NotebookRenderers.registerAll(renderer);
    }

    record Probe(String name, double accuracy) {
    }

    @Test
    void chartRendersAsPng() {
        XYChart chart = QuickChart.getChart("accuracy", "layer", "acc", "probe", new double[]{1, 2, 3}, new double[]{0.5, 0.7, 0.9});
        DisplayData data = renderer.render(chart);
        byte[] png = Base64.getDecoder().decode((String) data.getData(MIMEType.IMAGE_PNG));
        assertArrayEquals(PNG_SIGNATURE, Arrays.copyOf(png, PNG_SIGNATURE.length));
        assertEquals("XYChart \"accuracy\"", data.getData(MIMEType.TEXT_PLAIN));
    }

    @Test
    void tableRendersAsHtml() {
        Table table = Table.create("probes", StringColumn.create("layer", "emb", "<b>"), IntColumn.create("n", 10, 20));
        String html = (String) renderer.render(table).getData(MIMEType.TEXT_HTML);
        assertTrue(html.contains("<caption>probes (2 rows &times; 2 columns)</caption>"), html);
        assertTrue(html.contains("<th>layer</th><th>n</th>"), html);
        assertTrue(html.contains("<tr><td>&lt;b&gt;</td><td>20</td></tr>"), html);
    }

    @Test
    void largeTableIsTruncated() {
        Table table = Table.create("big", IntColumn.create("i", IntStream.range(0, 100).toArray()));
        String html = (String) renderer.render(table).getData(MIMEType.TEXT_HTML);
        assertTrue(html.contains("<caption>big (100 rows &times; 1 column)</caption>"), html);
        assertTrue(html.contains("<td>" + (NotebookRenderers.HEAD_ROWS - 1) + "</td>"), html);
        assertFalse(html.contains("<td>" + NotebookRenderers.HEAD_ROWS + "</td>"), html);
        assertTrue(html.contains((100 - NotebookRenderers.HEAD_ROWS) + " more rows"), html);
    }

    @Test
    void recordRendersAsKeyValueHtml() {
        DisplayData data = renderer.render(new Probe("linear", 0.75));
        String html = (String) data.getData(MIMEType.TEXT_HTML);
        assertTrue(html.contains("<caption>Probe</caption>"), html);
        assertTrue(html.contains("<tr><th>name</th><td>linear</td></tr>"), html);
        assertTrue(html.contains("<tr><th>accuracy</th><td>0.75</td></tr>"), html);
        assertEquals("Probe[name=linear, accuracy=0.75]", data.getData(MIMEType.TEXT_PLAIN));
    }

    @Test
    void anythingElseIsPlainText() {
        DisplayData data = renderer.render(new StringBuilder("abc"));
        assertEquals("abc", data.getData(MIMEType.TEXT_PLAIN));
        assertFalse(data.hasDataForType(MIMEType.TEXT_HTML));
        assertFalse(data.hasDataForType(MIMEType.IMAGE_PNG));
    }
}
