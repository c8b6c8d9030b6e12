package dev.workbook.kernel;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.util.Base64;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A Swing component shows as a PNG of what it paints, in the kernel's headless mode. */
@ExtendWith(KernelPerClass.class)
class ComponentDisplayTest {

    private final RunningKernel kernel;

    ComponentDisplayTest(RunningKernel kernel) {
        this.kernel = kernel;
    }

    @Test
    void aComponentIsPaintedOffScreenAtItsSizeAsPng() throws Exception {
        RunningKernel.Execution run = kernel.execute("var panel = new javax.swing.JPanel();\n"
                + "panel.setBackground(java.awt.Color.RED);\n"
                + "panel.setPreferredSize(new java.awt.Dimension(40, 30));\n"
                + "panel");

        assertEquals("ok", run.status(), run.traceback());
        assertTrue(run.result().has("image/png"), "a PNG, not only text: " + run.result().keySet());
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(
                Base64.getDecoder().decode(run.result().get("image/png").getAsString())));
        assertEquals(40, image.getWidth());
        assertEquals(30, image.getHeight());
        assertEquals(0xFFFF0000, image.getRGB(20, 15), "the panel's own paint");
    }

    @Test
    void childrenAreLaidOutAndPainted() throws Exception {
        RunningKernel.Execution run = kernel.execute("var box = new javax.swing.JPanel(new java.awt.BorderLayout());\n"
                + "box.setBackground(java.awt.Color.WHITE);\n"
                + "var inner = new javax.swing.JPanel(); inner.setBackground(java.awt.Color.BLUE);\n"
                + "inner.setPreferredSize(new java.awt.Dimension(20, 10));\n"
                + "box.add(inner, java.awt.BorderLayout.NORTH); box.setSize(20, 20);\n"
                + "display(box);");

        assertEquals("ok", run.status(), run.traceback());
        String png = run.displays().get(0).get("image/png").getAsString();
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(png)));
        assertEquals(0xFF0000FF, image.getRGB(10, 5), "the child at the top");
        assertEquals(0xFFFFFFFF, image.getRGB(10, 15), "the parent below it");
    }

    @Test
    void aComponentWithoutASizeSaysHowToGiveItOne() {
        RunningKernel.Execution run = kernel.execute("new javax.swing.JPanel(null)");

        String text = run.result().get("text/plain").getAsString();
        assertTrue(text.contains("no size to paint at") && text.contains("setSize"), text);
    }
}
