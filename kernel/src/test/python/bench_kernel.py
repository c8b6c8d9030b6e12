"""Kernel latency through a real Jupyter client (jupyter_client), as a notebook front end sees it.

    /usr/bin/python3 kernel/src/test/python/bench_kernel.py [--kernel java] [--starts 5] [--cells 300]

Reports, for the installed kernelspec:
  * start-up: from launching the kernel to its first kernel_info reply, and to the reply of a first cell
    (which includes JShell's compiler warming up);
  * round trip of a trivial cell (`1 + 1`): from sending execute_request to having both the execute_reply
    and the idle status, p50 / p90 / p99 / max over --cells runs after 20 warm-up runs.
The machine's load average is printed with the figures: they mean little on a busy machine.
"""

import argparse
import os
import statistics
import time

from jupyter_client.manager import KernelManager


def percentile(values, p):
    ordered = sorted(values)
    k = (len(ordered) - 1) * p / 100.0
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def run_cell(kc, code, timeout=60):
    msg_id = kc.execute(code)
    got_reply = got_idle = False
    reply = None
    while not (got_reply and got_idle):
        if not got_reply:
            try:
                msg = kc.get_shell_msg(timeout=0.001 if got_idle else 0)
                if msg["parent_header"].get("msg_id") == msg_id:
                    got_reply, reply = True, msg
                    continue
            except Exception:
                pass
        if not got_idle:
            try:
                msg = kc.get_iopub_msg(timeout=0.001)
                if (msg["parent_header"].get("msg_id") == msg_id and msg["msg_type"] == "status"
                        and msg["content"]["execution_state"] == "idle"):
                    got_idle = True
            except Exception:
                pass
    return reply


def start_once(kernel_name):
    km = KernelManager(kernel_name=kernel_name)
    t0 = time.perf_counter()
    km.start_kernel()
    kc = km.client()
    kc.start_channels()
    kc.wait_for_ready(timeout=120)
    ready = time.perf_counter() - t0
    reply = run_cell(kc, "1 + 1")
    first_cell = time.perf_counter() - t0
    assert reply["content"]["status"] == "ok", reply["content"]
    return km, kc, ready, first_cell


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--kernel", default=os.environ.get("WORKBOOK_KERNEL_NAME", "java"))
    parser.add_argument("--starts", type=int, default=5)
    parser.add_argument("--cells", type=int, default=300)
    args = parser.parse_args()

    print(f"kernel {args.kernel!r}; load average before: {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} {os.getloadavg()[2]:.2f}")
    ready_times, first_cells = [], []
    for _ in range(args.starts):
        km, kc, ready, first_cell = start_once(args.kernel)
        ready_times.append(ready)
        first_cells.append(first_cell)
        kc.stop_channels()
        km.shutdown_kernel(now=False)

    km, kc, _, _ = start_once(args.kernel)
    for _ in range(20):
        run_cell(kc, "1 + 1")
    trips = []
    for _ in range(args.cells):
        t0 = time.perf_counter()
        run_cell(kc, "1 + 1")
        trips.append((time.perf_counter() - t0) * 1000)
    kc.stop_channels()
    km.shutdown_kernel(now=False)

    print()
    print("| measure | n | p50 | p90 | p99 | max |")
    print("|---|---|---|---|---|---|")
    print(f"| start-up to first kernel_info reply (s) | {len(ready_times)} | {statistics.median(ready_times):.2f} | "
          f"{percentile(ready_times, 90):.2f} | {percentile(ready_times, 99):.2f} | {max(ready_times):.2f} |")
    print(f"| start-up to first cell's reply (s) | {len(first_cells)} | {statistics.median(first_cells):.2f} | "
          f"{percentile(first_cells, 90):.2f} | {percentile(first_cells, 99):.2f} | {max(first_cells):.2f} |")
    print(f"| trivial cell `1 + 1` round trip (ms) | {len(trips)} | {statistics.median(trips):.2f} | "
          f"{percentile(trips, 90):.2f} | {percentile(trips, 99):.2f} | {max(trips):.2f} |")
    print()
    print(f"load average after: {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} {os.getloadavg()[2]:.2f}")


if __name__ == "__main__":
    main()
