/**
 * IJava's display API ({@code Renderer}, {@code RenderContext}, {@code RenderFunction}, {@code DisplayData})
 * for notebooks written for IJava: each type is the base library's ({@code org.dflib.jjava.jupyter.kernel.display})
 * extended to also take IJava's {@link io.github.spencerpark.jupyter.kernel.display.mime.MIMEType}, so one
 * renderer serves IJava-style and JJava-style code, and library extensions, alike.
 */
package io.github.spencerpark.jupyter.kernel.display;
