package dev.workbook.kernel.display;

import org.dflib.jjava.jupyter.kernel.display.Renderer;
import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;

import javax.imageio.ImageIO;
import javax.swing.SwingUtilities;
import java.awt.Component;
import java.awt.Container;
import java.awt.Dimension;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.util.Base64;

/**
 * Shows an AWT or Swing {@link Component} ({@code display(new JButton("OK"))}, a chart panel, a form) as
 * a PNG of what it paints, the way a window would show it. It works in headless mode, which the kernel
 * runs in: nothing is put on a screen. A component without a size is given its preferred size and laid
 * out first.
 *
 * <p>Painting happens on the AWT event dispatch thread, as Swing requires; the rendering thread waits for
 * it (an interrupt of the cell ends the wait).
 */
public final class ComponentImages {

    /** Larger images are refused: a component that asks for more would take gigabytes of heap. */
    static final int MAX_SIDE = 8192;

    private ComponentImages() {
    }

    /** Registers the PNG rendering of components with {@code renderer}. */
    public static void register(Renderer renderer) {
        renderer.createRegistration(Component.class)
                .preferring(MIMEType.IMAGE_PNG)
                .register((component, context) -> context.renderIfRequested(MIMEType.IMAGE_PNG,
                        () -> Base64.getEncoder().encodeToString(png(component))));
    }

    /**
     * The PNG of what {@code component} paints.
     *
     * @throws IllegalArgumentException if it has no size and no preferred size, or one larger than
     *                                  {@value #MAX_SIDE} pixels a side
     * @throws IllegalStateException    if the thread is interrupted while painting waits
     */
    static byte[] png(Component component) {
        BufferedImage image = onEventThread(() -> paint(component));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", bytes);
        } catch (IOException e) {
            throw new UncheckedIOException("could not encode the component's image as PNG", e);
        }
        return bytes.toByteArray();
    }

    static BufferedImage paint(Component component) {
        Dimension size = component.getSize();
        if (size.width <= 0 || size.height <= 0) {
            size = component.getPreferredSize();
            component.setSize(size);
        }
        if (size.width <= 0 || size.height <= 0) {
            throw new IllegalArgumentException("the " + component.getClass().getName()
                    + " has no size to paint at (" + size.width + "x" + size.height + "): give it one with setSize or setPreferredSize");
        }
        if (size.width > MAX_SIDE || size.height > MAX_SIDE) {
            throw new IllegalArgumentException("the " + component.getClass().getName() + " is " + size.width + "x"
                    + size.height + " pixels; at most " + MAX_SIDE + " a side are shown: make it smaller with setSize");
        }
        layOut(component);
        BufferedImage image = new BufferedImage(size.width, size.height, BufferedImage.TYPE_INT_ARGB);
        Graphics2D graphics = image.createGraphics();
        try {
            component.printAll(graphics);
        } finally {
            graphics.dispose();
        }
        return image;
    }

    /** Lays out a tree that was never shown: without a window, nothing else would. */
    private static void layOut(Component component) {
        if (component instanceof Container) {
            Container container = (Container) component;
            container.doLayout();
            for (Component child : container.getComponents()) {
                layOut(child);
            }
        }
    }

    private interface Painting {
        BufferedImage paint();
    }

    private static BufferedImage onEventThread(Painting painting) {
        if (SwingUtilities.isEventDispatchThread()) {
            return painting.paint();
        }
        BufferedImage[] result = new BufferedImage[1];
        try {
            SwingUtilities.invokeAndWait(() -> result[0] = painting.paint());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the component was being painted", e);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException) {
                throw (RuntimeException) cause;
            }
            if (cause instanceof Error) {
                throw (Error) cause;
            }
            throw new IllegalStateException("painting the component failed: " + cause, cause);
        }
        return result[0];
    }
}
