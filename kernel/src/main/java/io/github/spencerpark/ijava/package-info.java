/**
 * IJava's {@code IJava} class, so that notebooks (and utility notebooks they {@code %load}) that reach the
 * kernel through it run unchanged on this kernel.
 */
package io.github.spencerpark.ijava;
