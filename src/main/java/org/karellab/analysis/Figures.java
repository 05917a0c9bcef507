package org.karellab.analysis;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.karellab.data.AtomicFiles;
import org.karellab.world.KarelException;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.internal.chartpart.Chart;

/**
 * Saves figures as PNG files under a folder (by default {@code OUT/figures}, see
 * {@link #folder()}) and hands them back, so a notebook cell can save and show a figure in one
 * line: {@code Figures.save(chart, "loss-curve")}.
 */
public final class Figures {
    private Figures() {
    }

    /**
     * The folder figures go to: {@code $KAREL_FIGURES} if set, else {@code $KAREL_OUT/figures},
     * else {@code figures} in the working folder.
     */
    public static Path folder() {
        String f = System.getenv("KAREL_FIGURES");
        if (f != null && !f.isBlank()) {
            return Path.of(f);
        }
        String out = System.getenv("KAREL_OUT");
        return out != null && !out.isBlank() ? Path.of(out, "figures") : Path.of("figures");
    }

    public static <C extends Chart<?, ?>> C save(C chart, String name) {
        write(name, tmp -> BitmapEncoder.saveBitmap(chart, tmp.toString(), BitmapEncoder.BitmapFormat.PNG));
        return chart;
    }

    public static BufferedImage save(BufferedImage image, String name) {
        write(name, tmp -> ImageIO.write(image, "png", tmp.toFile()));
        return image;
    }

    private static void write(String name, AtomicFiles.Writer writer) {
        Path target = folder().resolve(name + ".png");
        try {
            Files.createDirectories(target.getParent());
        } catch (IOException e) {
            throw new KarelException(target.getParent() + ": cannot create: " + e.getMessage(), e);
        }
        // BitmapEncoder appends ".png" to a name without it: write to a temp name that ends in .png
        AtomicFiles.write(target, tmp -> {
            Path png = tmp.resolveSibling(tmp.getFileName() + ".png");
            writer.write(png);
            Files.move(png, tmp);
        });
    }
}
