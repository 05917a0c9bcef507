package org.karellab.notebook;

import org.dflib.jjava.jupyter.kernel.display.Renderer;
import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.internal.chartpart.Chart;
import tech.tablesaw.api.Table;

import java.awt.image.RenderedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.RecordComponent;
import java.util.Base64;
import javax.imageio.ImageIO;

/**
 * The one place where the kit says how its objects look in a notebook. Anything not registered here is
 * shown as the text of its toString(). To add a renderer, register it in {@link #registerAll(Renderer)}.
 */
public final class NotebookRenderers {

    /** Tables longer than this show their first {@link #HEAD_ROWS} rows only. */
    static final int MAX_ROWS = 25;
    static final int HEAD_ROWS = 20;

    private NotebookRenderers() {
    }

    public static void registerAll(Renderer renderer) {
        renderer.createRegistration(Chart.class)
                .preferring(MIMEType.IMAGE_PNG)
                .register((chart, context) -> {
                    context.renderIfRequested(MIMEType.IMAGE_PNG, () -> png(chart));
                    context.renderIfRequested(MIMEType.TEXT_PLAIN, () -> chart.getClass().getSimpleName() + " \"" + chart.getTitle() + "\"");
                });
        renderer.createRegistration(RenderedImage.class)
                .preferring(MIMEType.IMAGE_PNG)
                .register((image, context) -> context.renderIfRequested(MIMEType.IMAGE_PNG, () -> png(image)));
        renderer.createRegistration(Table.class)
                .preferring(MIMEType.TEXT_HTML)
                .register((table, context) -> context.renderIfRequested(MIMEType.TEXT_HTML, () -> tableHtml(table)));
        renderer.createRegistration(Record.class)
                .preferring(MIMEType.TEXT_HTML)
                .register((record, context) -> context.renderIfRequested(MIMEType.TEXT_HTML, () -> recordHtml(record)));
    }

    /** The chart as a base64 PNG, the form Jupyter expects for image/png. */
    static String png(Chart<?, ?> chart) {
        try {
            return Base64.getEncoder().encodeToString(BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG));
        } catch (IOException e) {
            throw new UncheckedIOException("could not render chart as PNG: " + e.getMessage(), e);
        }
    }

    /** A picture (for example a drawn Karel world) as a base64 PNG. */
    static String png(RenderedImage image) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", bytes);
        } catch (IOException e) {
            throw new UncheckedIOException("could not render image as PNG: " + e.getMessage(), e);
        }
        return Base64.getEncoder().encodeToString(bytes.toByteArray());
    }

    static String tableHtml(Table table) {
        int rows = table.rowCount();
        int shown = rows > MAX_ROWS ? HEAD_ROWS : rows;
        StringBuilder html = new StringBuilder("<table>\n<caption>")
                .append(escape(table.name() == null ? "" : table.name()))
                .append(" (").append(rows).append(rows == 1 ? " row" : " rows")
                .append(" &times; ").append(table.columnCount()).append(table.columnCount() == 1 ? " column" : " columns")
                .append(")</caption>\n<thead><tr>");
        table.columnNames().forEach(name -> html.append("<th>").append(escape(name)).append("</th>"));
        html.append("</tr></thead>\n<tbody>\n");
        for (int row = 0; row < shown; row++) {
            html.append("<tr>");
            for (int column = 0; column < table.columnCount(); column++) {
                html.append("<td>").append(escape(table.getString(row, column))).append("</td>");
            }
            html.append("</tr>\n");
        }
        if (shown < rows) {
            html.append("<tr><td colspan=\"").append(table.columnCount()).append("\">&hellip; ")
                    .append(rows - shown).append(" more rows</td></tr>\n");
        }
        return html.append("</tbody>\n</table>").toString();
    }

    static String recordHtml(Record record) {
        StringBuilder html = new StringBuilder("<table>\n<caption>")
                .append(escape(record.getClass().getSimpleName())).append("</caption>\n");
        for (RecordComponent component : record.getClass().getRecordComponents()) {
            html.append("<tr><th>").append(escape(component.getName())).append("</th><td>")
                    .append(escape(String.valueOf(componentValue(record, component)))).append("</td></tr>\n");
        }
        return html.append("</table>").toString();
    }

    private static Object componentValue(Record record, RecordComponent component) {
        try {
            // records declared in a cell are not public, so their accessors need opening up
            var accessor = component.getAccessor();
            accessor.setAccessible(true);
            return accessor.invoke(record);
        } catch (ReflectiveOperationException e) {
            return "(unreadable: " + e + ")";
        }
    }

    private static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
