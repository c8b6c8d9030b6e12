package dev.workbook.benchmarks.ipc;

import java.io.Serializable;

/** The "small object" of the IPC benchmark: what a market-data message might carry. */
public record Quote(String symbol, long price, int quantity) implements Serializable {
}
