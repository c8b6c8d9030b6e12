"""The lesson's prime check in CPython, timed the way `time` would time it, for the notebooks to compare.

    python3 lesson_primes.py threads|processes [WORKERS] [TIMES]

Checks the lesson's 13 numbers, repeated TIMES times (default 5), with a ThreadPoolExecutor or a
ProcessPoolExecutor of WORKERS workers (default 16, as in the lesson), and prints one JSON object:
wall, user and system seconds (children included, as `time` counts them) and the answers.
"""
import concurrent.futures
import json
import os
import sys
import time

NUMBERS = [1116281, 1297337, 104395303, 472882027, 533000389, 817504243, 982451653, 112272535095293,
           112582705942171, 112272535095293, 115280095190773, 115797848077099, 1099726899285419]


def is_prime(n):
    """The lesson's trial division, except that numbers below 2 are not prime."""
    if n < 2:
        return False
    for divisor in range(2, int(n ** 0.5) + 1):
        if n % divisor == 0:
            return False
    return True


def main():
    kind = sys.argv[1] if len(sys.argv) > 1 else "threads"
    workers = int(sys.argv[2]) if len(sys.argv) > 2 else 16
    times = int(sys.argv[3]) if len(sys.argv) > 3 else 5
    if kind not in ("threads", "processes"):
        sys.exit(f"first argument must be 'threads' or 'processes', not {kind!r}")
    pool = concurrent.futures.ThreadPoolExecutor if kind == "threads" else concurrent.futures.ProcessPoolExecutor
    numbers = NUMBERS * times
    before, started = os.times(), time.perf_counter()
    with pool(max_workers=workers) as executor:
        answers = list(executor.map(is_prime, numbers))
    wall = time.perf_counter() - started
    after = os.times()
    user = (after.user - before.user) + (after.children_user - before.children_user)
    system = (after.system - before.system) + (after.children_system - before.children_system)
    print(json.dumps({"implementation": f"CPython {kind}", "workers": workers, "wall_s": wall, "user_s": user,
                      "system_s": system, "python": sys.version.split()[0], "answers": answers}))


if __name__ == "__main__":
    main()
