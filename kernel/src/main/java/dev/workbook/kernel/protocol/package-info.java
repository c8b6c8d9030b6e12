/**
 * The Jupyter messaging protocol (5.3) on ZeroMQ: the kernel's sockets and their threads, reading
 * requests as they arrive, replies with every field the spec requires, IOPub publishing, stdin input
 * requests and comms. See docs/kernel.md ("Protocol").
 */
package dev.workbook.kernel.protocol;
