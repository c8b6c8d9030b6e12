"""Kernel latency through a real Jupyter client (jupyter_client), as a notebook front end sees it.

    /usr/bin/python3 kernel/src/test/python/bench_kernel.py [--kernel java] [--baseline python3]
                                                            [--also KERNEL]... [--starts 5] [--cells 300]
                                                            [--long 1000]

Reports, for the installed kernelspec and, side by side in the same run, for a baseline kernel (IPython's
ipykernel, `python3`, where it is installed; --baseline none to skip):
  * start-up: from launching the kernel to its first kernel_info reply, and to the reply of a first cell
    (which includes JShell's compiler warming up);
  * the first is_complete after the kernel_info reply: `jupyter console` waits 1 s for it and, when it is
    late once, stops asking for the whole session (then Enter no longer runs a cell);
  * round trip of a trivial cell (`1 + 1`): from sending execute_request to having both the execute_reply
    and the idle status, p50 / p90 / p99 / max over --cells runs after 20 warm-up runs (all kernels running
    at once, one cell each in turn).
  * with --long N, a long session: N trivial cells in a fresh kernel of each, in turns; the first and the last
    100 round trips, to show whether cells get slower as a session grows (JShell recompiles against everything
    it keeps).
--also adds kernels measured in the same turns (another build of the Java kernel, to compare a change with
what it replaces: install the old one under another name). Kernels are measured in turns (java, baseline,
java, ...) so that all see the same load. Each target is a
row ending in `-> met` or `-> MISSED`. The load average is printed with the figures: on a shared machine
compare the kernels' ratio rather than the absolute times.
"""

import argparse
import os
import statistics
import time

from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel
from jupyter_client.manager import KernelManager

# Targets for the Java kernel (issue 12).
FIRST_CELL_TARGET_S = 0.8
IS_COMPLETE_TARGET_MS = 200
ROUND_TRIP_P50_TARGET_MS = 10


def percentile(values, p):
    ordered = sorted(values)
    k = (len(ordered) - 1) * p / 100.0
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def shell_reply(kc, msg_id, timeout=60):
    deadline = time.perf_counter() + timeout
    while True:
        msg = kc.get_shell_msg(timeout=max(0.001, deadline - time.perf_counter()))
        if msg["parent_header"].get("msg_id") == msg_id:
            return msg


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


def start_once(kernel_name, cell):
    """Starts a kernel; returns it with the seconds to kernel_info, ms of the first is_complete, s to a first cell."""
    km = KernelManager(kernel_name=kernel_name)
    t0 = time.perf_counter()
    km.start_kernel()
    kc = km.client()
    kc.start_channels()
    kc.wait_for_ready(timeout=120)
    ready = time.perf_counter() - t0
    t1 = time.perf_counter()
    is_complete = shell_reply(kc, kc.is_complete(cell))
    is_complete_ms = (time.perf_counter() - t1) * 1000
    assert is_complete["content"]["status"] == "complete", is_complete["content"]
    reply = run_cell(kc, cell)
    first_cell = time.perf_counter() - t0
    assert reply["content"]["status"] == "ok", reply["content"]
    return km, kc, ready, is_complete_ms, first_cell


def stop(km, kc):
    kc.stop_channels()
    km.shutdown_kernel(now=False)


def round_trips(kernel_names, cells, warm_up=20):
    """Round trips of `1 + 1` per kernel after `warm_up` untimed ones, in turns cell by cell, so that every
    kernel sees the same load."""
    running = {name: start_once(name, "1 + 1")[:2] for name in kernel_names}
    try:
        for _ in range(warm_up):
            for km, kc in running.values():
                run_cell(kc, "1 + 1")
        trips = {name: [] for name in kernel_names}
        for _ in range(cells):
            for name, (km, kc) in running.items():
                t0 = time.perf_counter()
                run_cell(kc, "1 + 1")
                trips[name].append((time.perf_counter() - t0) * 1000)
        return trips
    finally:
        for km, kc in running.values():
            stop(km, kc)


def row(label, values, fmt):
    return (f"| {label} | {len(values)} | {statistics.median(values):{fmt}} | {percentile(values, 90):{fmt}} | "
            f"{percentile(values, 99):{fmt}} | {max(values):{fmt}} |")


def verdict(what, value, target, unit):
    return f"{what}: {value:.2f} {unit} (target at most {target} {unit}) -> {'met' if value <= target else 'MISSED'}"


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--kernel", default=os.environ.get("WORKBOOK_KERNEL_NAME", "java"))
    parser.add_argument("--baseline", default="python3", help="kernel measured alongside; 'none' for none")
    parser.add_argument("--also", action="append", default=[], help="a further kernel to measure in the same turns")
    parser.add_argument("--starts", type=int, default=5)
    parser.add_argument("--cells", type=int, default=300)
    parser.add_argument("--long", type=int, default=0, metavar="N",
                        help="also run a session of N cells per kernel and report its first and last 100 (N >= 200)")
    args = parser.parse_args()
    if args.long and args.long < 200:
        parser.error(f"--long {args.long}: a long session needs at least 200 cells (first and last 100 apart)")

    kernels = [args.kernel] + args.also
    baseline = None
    if args.baseline != "none":
        try:
            KernelSpecManager().get_kernel_spec(args.baseline)
            kernels.append(args.baseline)
            baseline = args.baseline
        except NoSuchKernel:
            print(f"(no {args.baseline!r} kernel installed: measuring {args.kernel!r} alone)")

    print(f"kernels {kernels}; load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    starts = {k: ([], [], []) for k in kernels}
    for _ in range(args.starts):
        for kernel in kernels:  # in turns, so that both kernels see the same load
            km, kc, ready, is_complete_ms, first_cell = start_once(kernel, "1 + 1")
            stop(km, kc)
            for values, value in zip(starts[kernel], (ready, is_complete_ms, first_cell)):
                values.append(value)
    trips = round_trips(kernels, args.cells)
    long_trips = round_trips(kernels, args.long, warm_up=0) if args.long else None

    print()
    print("| kernel: measure | n | p50 | p90 | p99 | max |")
    print("|---|---|---|---|---|---|")
    for kernel in kernels:
        ready, is_complete_ms, first_cells = starts[kernel]
        print(row(f"{kernel}: start-up to first kernel_info reply (s)", ready, ".2f"))
        print(row(f"{kernel}: first is_complete after kernel_info (ms)", is_complete_ms, ".1f"))
        print(row(f"{kernel}: start-up to first cell's reply (s)", first_cells, ".2f"))
        print(row(f"{kernel}: trivial cell `1 + 1` round trip (ms)", trips[kernel], ".2f"))
        if long_trips is not None:
            print(row(f"{kernel}: round trip, cells 1-100 of {args.long} (ms)", long_trips[kernel][:100], ".2f"))
            print(row(f"{kernel}: round trip, last 100 of {args.long} cells (ms)", long_trips[kernel][-100:], ".2f"))
    if baseline is not None:
        print()
        for java in kernels[:-1]:
            print(f"ratios {java}/{baseline} (p50): first cell's reply "
                  f"{statistics.median(starts[java][2]) / statistics.median(starts[baseline][2]):.2f}x, round trip "
                  f"{statistics.median(trips[java]) / statistics.median(trips[baseline]):.2f}x")
    print()
    ready, is_complete_ms, first_cells = starts[args.kernel]
    print(verdict(f"{args.kernel}: start-up to first cell's reply, p50", statistics.median(first_cells),
                  FIRST_CELL_TARGET_S, "s"))
    print(verdict(f"{args.kernel}: first is_complete after kernel_info, max", max(is_complete_ms),
                  IS_COMPLETE_TARGET_MS, "ms"))
    print(verdict(f"{args.kernel}: trivial cell round trip, p50", statistics.median(trips[args.kernel]),
                  ROUND_TRIP_P50_TARGET_MS, "ms"))
    print()
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
