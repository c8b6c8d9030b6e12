"""The lesson's claim about shared state, as a program: threads that share a list, a dict and an int.

Usage: python3 shared_state.py THREADS OPERATIONS

Each of THREADS threads adds OPERATIONS distinct items, all threads released at once by a barrier,
and the program counts what is there. It prints one line per case:

    RESULT case=list.append threads=4 expected=4000000 present=4000000 reported=4000000 exceptions=0 wall_ns=...

Cases: list.append and dict[key] = value, which the GIL makes atomic (one bytecode calling C code
that holds the GIL throughout); `x += 1` on a global, which is three steps (load, add, store) that
CPython 3.10+ only happens not to interrupt, because it switches threads at backward jumps and calls;
and `x += one()`, the same statement with a call between the load and the store, where a switch can
fall, and updates are lost.
"""

import sys
import threading
import time

x = 0


def one():
    return 1


def run(threads, operations, work):
    barrier = threading.Barrier(threads + 1)
    errors = [0] * threads

    def worker(index):
        barrier.wait()
        first = index * operations
        for i in range(first, first + operations):
            try:
                work(i)
            except Exception:  # counted, like the Java side does
                errors[index] += 1

    pool = [threading.Thread(target=worker, args=(t,), daemon=True) for t in range(threads)]
    for thread in pool:
        thread.start()
    barrier.wait()
    start = time.perf_counter_ns()
    for thread in pool:
        thread.join()
    return time.perf_counter_ns() - start, sum(errors)


def report(case, threads, expected, present, reported, exceptions, wall_ns):
    print(f"RESULT case={case} threads={threads} expected={expected} present={present} "
          f"reported={reported} exceptions={exceptions} wall_ns={wall_ns}", flush=True)


def main():
    global x
    threads, operations = int(sys.argv[1]), int(sys.argv[2])
    expected = threads * operations

    shared_list = []
    wall, errors = run(threads, operations, shared_list.append)
    present = len(set(shared_list) & set(range(expected)))
    report("list.append", threads, expected, present, len(shared_list), errors, wall)
    del shared_list

    shared_dict = {}

    def put(i):
        shared_dict[i] = i

    wall, errors = run(threads, operations, put)
    present = sum(1 for key, value in shared_dict.items() if key == value and 0 <= key < expected)
    report("dict[key]=value", threads, expected, present, len(shared_dict), errors, wall)
    del shared_dict

    def add(_):
        global x
        x += 1

    x = 0
    wall, errors = run(threads, operations, add)
    report("x+=1", threads, expected, x, x, errors, wall)

    def add_with_call(_):
        global x
        x += one()

    x = 0
    wall, errors = run(threads, operations, add_with_call)
    report("x+=one()", threads, expected, x, x, errors, wall)


if __name__ == "__main__":
    main()
