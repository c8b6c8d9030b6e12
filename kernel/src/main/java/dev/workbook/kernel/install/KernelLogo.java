package dev.workbook.kernel.install;

import javax.imageio.ImageIO;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.RoundRectangle2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;

/** Draws the kernelspec's logo files (the classic Notebook shows the 32 and 64 pixel ones). */
final class KernelLogo {

    private KernelLogo() {
    }

    static void write(Path kernelDir) throws IOException {
        System.setProperty("java.awt.headless", "true");
        for (int size : new int[]{32, 64}) {
            ImageIO.write(draw(size), "png", kernelDir.resolve("logo-" + size + "x" + size + ".png").toFile());
        }
    }

    private static BufferedImage draw(int size) {
        BufferedImage image = new BufferedImage(size, size, BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            float arc = size / 4f;
            g.setColor(new Color(0xE7, 0x6F, 0x00));
            g.fill(new RoundRectangle2D.Float(0, 0, size, size, arc, arc));
            g.setColor(new Color(0x53, 0x82, 0xA1));
            g.setStroke(new BasicStroke(Math.max(1f, size / 16f)));
            g.draw(new RoundRectangle2D.Float(size / 32f, size / 32f, size - size / 16f, size - size / 16f, arc, arc));
            g.setColor(Color.WHITE);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, Math.round(size * 0.42f)));
            FontMetrics metrics = g.getFontMetrics();
            String text = "J";
            int x = (size - metrics.stringWidth(text)) / 2;
            int y = (size - metrics.getHeight()) / 2 + metrics.getAscent();
            g.drawString(text, x, y);
        } finally {
            g.dispose();
        }
        return image;
    }
}
