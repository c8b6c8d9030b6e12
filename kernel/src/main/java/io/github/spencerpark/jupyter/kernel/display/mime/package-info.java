/**
 * IJava's {@code MIMEType}, so that notebooks written for IJava compile unchanged; it converts to the base
 * library's type, which the kernel renders with.
 */
package io.github.spencerpark.jupyter.kernel.display.mime;
