"""CPython's multiprocessing measured in the same shapes as the workbook's Java IPC rows.

Run by dev.workbook.ipc.bench.IpcBench and the benchmarks module's IpcBenchmark, or alone:
    python3 ipc_bench.py [--quick] [--only=queue-rtt,queue-oneway,queue-m2m,pipe-rtt] [--payloads=long,object]
Prints one JSON object per figure, keyed as the columns of IpcBench's table (IpcResult reads it):
{"transport": "python Queue", "shape": "round trip", "payload": "long", "p50_us": ..., "p99_us": ...,
 "msgs_per_sec": ..., "count": ..., "unit": "round trips"}   (figures that do not apply are left out)
"""
import json
import multiprocessing as mp
import sys
import time

STOP = "stop"


def report(transport, shape, payload_kind, count, unit, **figures):
    """Prints one result line; figures are p50_us and p99_us, or msgs_per_sec."""
    line = {"transport": f"python {transport}", "shape": shape, "payload": payload_kind}
    line.update({name: round(value, 3) for name, value in figures.items()})
    line.update({"count": count, "unit": unit})
    print(json.dumps(line), flush=True)


class Quote:
    """The small object: the same three fields as the Java benchmark's record."""
    __slots__ = ("symbol", "price", "quantity")

    def __init__(self, symbol, price, quantity):
        self.symbol, self.price, self.quantity = symbol, price, quantity

    def __getstate__(self):
        return (self.symbol, self.price, self.quantity)

    def __setstate__(self, state):
        self.symbol, self.price, self.quantity = state


def payload(kind, i):
    return i if kind == "long" else Quote("ACME", i, 7)


def percentiles(samples):
    samples.sort()
    return samples[len(samples) // 2] / 1000, samples[int(len(samples) * 0.99)] / 1000


def queue_echo(there, back):
    while True:
        message = there.get()
        if message == STOP:
            return
        back.put(message)


def queue_round_trip(kind, warm, count):
    there, back = mp.Queue(), mp.Queue()
    echo = mp.Process(target=queue_echo, args=(there, back))
    echo.start()
    samples = []
    for i in range(warm + count):
        message = payload(kind, i)
        start = time.perf_counter_ns()
        there.put(message)
        back.get()
        if i >= warm:
            samples.append(time.perf_counter_ns() - start)
    there.put(STOP)
    echo.join()
    p50, p99 = percentiles(samples)
    report("Queue", "round trip", kind, count, "round trips", p50_us=p50, p99_us=p99)


def queue_consumer(queue, count, result):
    queue.get()
    start = time.perf_counter()
    for _ in range(count - 1):
        queue.get()
    result.put((count - 1) / (time.perf_counter() - start))


def queue_producer(queue, kind, count):
    for i in range(count):
        queue.put(payload(kind, i))


def queue_one_way(kind, count):
    queue, result = mp.Queue(16384), mp.Queue()
    consumer = mp.Process(target=queue_consumer, args=(queue, count, result))
    producer = mp.Process(target=queue_producer, args=(queue, kind, count))
    consumer.start()
    producer.start()
    rate = result.get()
    producer.join()
    consumer.join()
    report("Queue", "one-way", kind, count, "messages", msgs_per_sec=rate)


def queue_drain(queue, result):
    count, first, last = 0, 0, 0
    while True:
        message = queue.get()
        now = time.monotonic_ns()
        if message == STOP:
            break
        if count == 0:
            first = now
        count += 1
        last = now
    result.put((count, first, last))


def queue_many_to_many(per_producer):
    queue, result = mp.Queue(16384), mp.Queue()
    consumers = [mp.Process(target=queue_drain, args=(queue, result)) for _ in range(2)]
    producers = [mp.Process(target=queue_producer, args=(queue, "long", per_producer)) for _ in range(2)]
    for process in consumers + producers:
        process.start()
    for producer in producers:
        producer.join()
    queue.put(STOP)
    queue.put(STOP)
    counts = [result.get() for _ in consumers]
    for consumer in consumers:
        consumer.join()
    total = sum(c[0] for c in counts)
    elapsed = (max(c[2] for c in counts) - min(c[1] for c in counts)) / 1e9
    report("Queue", "2 producers x 2 consumers", "long", total, "messages", msgs_per_sec=total / elapsed)


def pipe_echo(connection):
    # A forked child also holds the parent's end, so it would never see EOF: stop on a sentinel.
    while True:
        message = connection.recv()
        if message == STOP:
            return
        connection.send(message)


def pipe_round_trip(kind, warm, count):
    mine, theirs = mp.Pipe()
    echo = mp.Process(target=pipe_echo, args=(theirs,))
    echo.start()
    theirs.close()
    samples = []
    for i in range(warm + count):
        message = payload(kind, i)
        start = time.perf_counter_ns()
        mine.send(message)
        mine.recv()
        if i >= warm:
            samples.append(time.perf_counter_ns() - start)
    mine.send(STOP)
    echo.join()
    mine.close()
    p50, p99 = percentiles(samples)
    report("Pipe", "round trip", kind, count, "round trips", p50_us=p50, p99_us=p99)


SHAPES = ("queue-rtt", "queue-oneway", "queue-m2m", "pipe-rtt")
PAYLOADS = ("long", "object")


def option(name, default):
    """The comma-separated values of --name=a,b (all of default when absent); exits on an unknown value."""
    for argument in sys.argv[1:]:
        if argument.startswith(f"--{name}="):
            values = tuple(v for v in argument.split("=", 1)[1].split(",") if v)
            unknown = [v for v in values if v not in default]
            if unknown:
                sys.exit(f"ipc_bench.py: unknown {name} {', '.join(unknown)}; choose from {', '.join(default)}")
            return values
    return default


def main():
    quick = "--quick" in sys.argv
    scale = 1 if quick else 4
    shapes = option("only", SHAPES)
    payloads = option("payloads", PAYLOADS)
    if "queue-rtt" in shapes:
        for kind in payloads:
            queue_round_trip(kind, 2000 * scale, 5000 * scale)
    if "queue-oneway" in shapes:
        for kind in payloads:
            queue_one_way(kind, 50_000 * scale)
    if "queue-m2m" in shapes:
        queue_many_to_many(25_000 * scale)
    if "pipe-rtt" in shapes:
        for kind in payloads:
            pipe_round_trip(kind, 2000 * scale, 5000 * scale)


if __name__ == "__main__":
    main()
