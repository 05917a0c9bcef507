package org.karellab.analysis;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.Polygon;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.List;
import org.karellab.world.Facing;
import org.karellab.world.Trace;
import org.karellab.world.World;

/**
 * Karel worlds drawn as pictures: walls dark, markers as numbered discs, the robot as a triangle
 * pointing where it faces. {@link #strip} draws a trace as a row of worlds with captions.
 */
public final class WorldPicture {
    private static final int CELL = 28;
    private static final int CAPTION = 18;
    private static final Color WALL = new Color(0x44, 0x44, 0x44);
    private static final Color FLOOR = new Color(0xF4, 0xF1, 0xE8);
    private static final Color MARKER = new Color(0xE0, 0x9F, 0x1F);
    private static final Color ROBOT = new Color(0x1F, 0x6F, 0xB4);

    private WorldPicture() {
    }

    public static BufferedImage draw(World w) {
        return strip(List.of(w), List.of(""));
    }

    /** The worlds of a trace, start first, each captioned with the action that led to it. */
    public static BufferedImage strip(Trace t) {
        List<String> captions = new java.util.ArrayList<>();
        captions.add("start");
        for (int i = 0; i < t.length(); i++) {
            String exec = t.executed().get(i) == t.program().get(i) ? "" : " (" + t.executed().get(i) + ")";
            captions.add((i + 1) + ". " + t.program().get(i) + exec);
        }
        return strip(t.worlds(), captions);
    }

    public static BufferedImage strip(List<World> worlds, List<String> captions) {
        int side = World.SIZE * CELL;
        int gap = CELL / 2;
        int width = worlds.size() * side + (worlds.size() - 1) * gap;
        BufferedImage img = new BufferedImage(Math.max(width, 1), side + CAPTION, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        for (int i = 0; i < worlds.size(); i++) {
            int x0 = i * (side + gap);
            paint(g, worlds.get(i), x0, 0);
            g.setColor(Color.BLACK);
            g.drawString(captions.get(i), x0 + 2, side + CAPTION - 5);
        }
        g.dispose();
        return img;
    }

    private static void paint(Graphics2D g, World w, int x0, int y0) {
        for (int r = 0; r < World.SIZE; r++) {
            for (int c = 0; c < World.SIZE; c++) {
                int x = x0 + c * CELL;
                int y = y0 + r * CELL;
                g.setColor(w.isWall(r, c) ? WALL : FLOOR);
                g.fillRect(x, y, CELL, CELL);
                g.setColor(Color.LIGHT_GRAY);
                g.setStroke(new BasicStroke(1));
                g.drawRect(x, y, CELL, CELL);
                int m = w.markers(r, c);
                if (m > 0) {
                    g.setColor(MARKER);
                    g.fillOval(x + 4, y + 4, CELL - 8, CELL - 8);
                    if (m > 1) {
                        g.setColor(Color.BLACK);
                        g.drawString(Integer.toString(m), x + CELL / 2 - 4, y + CELL / 2 + 5);
                    }
                }
            }
        }
        int cx = x0 + w.robotCol() * CELL + CELL / 2;
        int cy = y0 + w.robotRow() * CELL + CELL / 2;
        Facing f = w.facing();
        int h = CELL / 2 - 3;
        // tip ahead, two corners behind
        int[] xs = {cx + f.dCol * h, cx - f.dCol * h + f.dRow * h, cx - f.dCol * h - f.dRow * h};
        int[] ys = {cy + f.dRow * h, cy - f.dRow * h - f.dCol * h, cy - f.dRow * h + f.dCol * h};
        g.setColor(ROBOT);
        g.fill(new Polygon(xs, ys, 3));
    }
}
