/**
 * Where notebook output and input go: {@code System.out}, {@code System.err} and {@code System.in} routed
 * per thread to the right cell, and the output of child processes copied into it. See docs/kernel.md
 * ("Output reaches the notebook").
 */
package dev.workbook.kernel.output;
