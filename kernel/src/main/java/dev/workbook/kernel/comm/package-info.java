/**
 * Jupyter comms for notebook code, with plain Java values ({@code Map}, {@code List}, strings, numbers,
 * booleans) instead of the base library's Gson types, which notebook code cannot see: open a comm to a
 * front-end target, answer comms the front end opens, send and receive messages.
 */
package dev.workbook.kernel.comm;
