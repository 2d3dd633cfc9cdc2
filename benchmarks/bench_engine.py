"""Benchmark the batch-Jacobian engine against per-example autograd loops.

Plain script: ``python benchmarks/bench_engine.py [--quick]``. Prints three
markdown tables of medians measured in this run on a dense tanh layer
``f(x) = tanh(x @ W + b)`` with ``n = m`` inputs and outputs:

1. jacviz (default ``check="warn"``) against per-example loops, with the
   coupling probe's overhead: ``check="warn"`` over ``check="off"`` minus 1,
   the two called in turns, call by call (:func:`in_turns`);
2. order 1 at B=4096 as a multiple of one forward pass ``f(x)``, the probe
   on (default) and off, timed in turns with ``f(x)``;
3. per-example data: the squared error ``(f(x) - t)²`` with one target row
   per example (the stacked pass is impossible: jacviz falls back to
   ``min(n, m)`` passes at batch size B) next to the same function with one
   target shared by all examples (the stacked pass), and a loop over
   examples, each with its own target.

Baselines: order 1, a Python loop of ``autograd.jacobian`` over examples;
order 2, a loop of nested ``autograd.jacobian(autograd.jacobian(...))``. A
baseline whose one run is estimated (from the smaller batches) to take longer
than the budget is skipped and marked as such in the table.

Allocation noise: on this VM, glibc's malloc returns big freed blocks to the
system and page-faults them back, so the same ``f(x)`` can take 0.25 ms or
8 ms depending on what ran before. The script therefore pins malloc's mmap
and trim thresholds at start (``mallopt``, glibc only) so that every
measurement, jacviz and baselines alike, sees the same allocator;
``--default-malloc`` skips that. BLAS runs single-threaded
(``OPENBLAS_NUM_THREADS=1`` unless set): on 2 shared cores a threaded
``dot`` waits for a busy core and the medians swing 10×.
"""

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # read when numpy is imported, below

import argparse
import ctypes
import ctypes.util
import importlib.metadata
import platform
import time

import autograd
import autograd.numpy as anp
import numpy as np

from jacviz import batch_jacobian

BATCHES = (1, 16, 256, 4096)
LOOPED_DATA = 256  # the per-example-data loop is timed up to this batch size
SIZES = (2, 16)


def ratio(value):
    """A speed-up as text: two significant digits below 10 (0.43×), whole numbers above."""
    return f"{value:.2g}×" if value < 10 else f"{value:.0f}×"


def steady_malloc():
    """Keep freed memory in the heap (glibc): no mmap/trim churn between runs."""
    libc = ctypes.CDLL(ctypes.util.find_library("c"))
    m_trim_threshold, m_mmap_threshold = -1, -3
    return bool(libc.mallopt(m_trim_threshold, 2**30) and libc.mallopt(m_mmap_threshold, 2**25))


def dense_tanh_layer(n, m):
    """A dense tanh layer ``(B, n) -> (B, m)`` with fixed random weights."""
    rng = np.random.default_rng(n * 100 + m)
    weights, bias = rng.standard_normal((n, m)) / np.sqrt(n), rng.standard_normal(m)

    def f(x):
        return anp.tanh(anp.dot(x, weights) + bias)

    return f


def squared_error(n, m, targets):
    """``(tanh(x @ W + b) - t)²`` with ``t`` one row per example or one row for all."""
    layer = dense_tanh_layer(n, m)

    def f(x):
        return (layer(x) - targets) ** 2

    return f


def median_seconds(run, min_total=0.2, max_repeats=15, warm_up=True):
    """Median wall time of ``run()``: up to 3 repeats, more until ``min_total`` seconds."""
    if warm_up:
        run()
    times = []
    while len(times) < min(3, max_repeats) or (sum(times) < min_total and len(times) < max_repeats):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return float(np.median(times))


def in_turns(runs, min_total=0.4, min_calls=5):
    """Median seconds of one call of each of ``runs``, called in turns, call by call.

    Alternating single calls puts a slow spell of the machine on every run
    alike, and the median drops it.
    """
    for run in runs:
        run()
    times = [[] for _ in runs]
    start = time.perf_counter()
    while len(times[0]) < min_calls or time.perf_counter() - start < min_total:
        for run, kept in zip(runs, times, strict=True):
            begin = time.perf_counter()
            run()
            kept.append(time.perf_counter() - begin)
    return [float(np.median(kept)) for kept in times]


def loop_baseline(f, x, order):
    """Per-example ``autograd.jacobian`` (nested ``order`` times) in a Python loop."""
    return np.stack([example_derivative(f, order)(xb) for xb in x])


def example_derivative(f, order):
    """``f`` on one example, differentiated ``order`` times with ``autograd.jacobian``."""

    def one_example(xb):
        return f(xb[None])[0]

    derivative = one_example
    for _ in range(order):
        derivative = autograd.jacobian(derivative)
    return derivative


def data_loop_baseline(n, x, targets):
    """The per-example loop for per-example data: example b with its own target row."""
    return np.stack(
        [
            example_derivative(squared_error(n, n, t[None]), 1)(xb)
            for xb, t in zip(x, targets, strict=True)
        ]
    )


def row(order, n, B, budget, per_example):
    """One table row; ``per_example`` carries the loop's seconds per example between rows."""
    f = dense_tanh_layer(n, n)
    x = np.random.default_rng(B).standard_normal((B, n))
    ours, off = in_turns(
        [
            lambda: batch_jacobian(f, x, order=order),
            lambda: batch_jacobian(f, x, order=order, check="off"),
        ]
    )
    probe = [f"{off * 1e3:.3g}", f"{ours / off - 1:+.2f}×"]
    estimate = per_example.get((order, n), 0.0) * B
    if estimate > budget:
        return [order, n, B, ours * 1e3, *probe, f"skipped (≈{estimate:.0f} s/run)", "–"]
    repeats = 3 if estimate < 1 else 1
    loop = median_seconds(
        lambda: loop_baseline(f, x, order), min_total=0, max_repeats=repeats, warm_up=repeats > 1
    )
    per_example[(order, n)] = loop / B
    return [order, n, B, ours * 1e3, *probe, f"{loop * 1e3:.2f}", ratio(loop / ours)]


def speed_table(batches, budget):
    """Rows of the jacviz-vs-loop table, orders 1 and 2."""
    per_example = {}
    return [
        row(order, n, B, budget, per_example) for order in (1, 2) for n in SIZES for B in batches
    ]


def cost_row(n, B):
    """jacviz order 1 at batch ``B``, probe on and off, as multiples of one ``f(x)``."""
    f = dense_tanh_layer(n, n)
    x = np.random.default_rng(B).standard_normal((B, n))
    forward, on, off = in_turns(
        [lambda: f(x), lambda: batch_jacobian(f, x), lambda: batch_jacobian(f, x, check="off")],
        min_total=1.0,
    )
    costs = [f"{seconds / forward:.1f}×" for seconds in (on, off)]
    return [n, B, forward * 1e3, on * 1e3, off * 1e3, *costs, f"{3 * n}×"]


def data_row(n, B):
    """Per-example targets (fallback) against one shared target (stacked), order 1."""
    x = np.random.default_rng(B).standard_normal((B, n))
    targets = np.random.default_rng(B + 1).uniform(-1, 1, (B, n))
    own, shared = squared_error(n, n, targets), squared_error(n, n, targets[0])
    fallback, stacked = in_turns(
        [lambda: batch_jacobian(own, x), lambda: batch_jacobian(shared, x)]
    )
    cells = [n, B, stacked * 1e3, fallback * 1e3, ratio(fallback / stacked)]
    if B > LOOPED_DATA:
        return [*cells, "skipped", "–"]
    loop = median_seconds(lambda: data_loop_baseline(n, x, targets), min_total=0, max_repeats=3)
    return [*cells, f"{loop * 1e3:.2f}", ratio(loop / fallback)]


def markdown(header, rows):
    """A markdown table; floats with 3 significant digits."""
    cells = [[f"{c:.3g}" if isinstance(c, float) else str(c) for c in r] for r in rows]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    return "\n".join(lines + ["| " + " | ".join(r) + " |" for r in cells])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="B up to 256, 0.5 s loop budget")
    parser.add_argument("--default-malloc", action="store_true", help="do not pin malloc")
    args = parser.parse_args()
    pinned = not args.default_malloc and steady_malloc()
    batches = BATCHES[:3] if args.quick else BATCHES
    budget = 0.5 if args.quick else 5.0
    print(
        f"Python {platform.python_version()}, numpy {np.__version__}, "
        f"autograd {importlib.metadata.version('autograd')}, {platform.machine()}, "
        f"{os.cpu_count()} cores, OPENBLAS_NUM_THREADS={os.environ['OPENBLAS_NUM_THREADS']}, "
        f"malloc pinned: {pinned}; dense tanh layer, n = m; medians\n"
    )
    header = ["order", "n=m", "B", "jacviz ms", "check=off ms", "probe", "loop ms", "speed-up"]
    print(markdown(header, speed_table(batches, budget)))
    cost_batch = 256 if args.quick else 4096
    print(f"\nCost of order 1 at B={cost_batch} in forward passes (target ≤ 3·min(n, m)):\n")
    header = ["n=m", "B", "f(x) ms", "warn ms", "off ms", "cost warn", "cost off", "target"]
    print(markdown(header, [cost_row(n, cost_batch) for n in SIZES]))
    print("\nPer-example data, order 1: (f(x) - t)², t per example (fallback) or shared:\n")
    header = ["n=m", "B", "shared t ms", "per-example t ms", "ratio", "loop ms", "speed-up"]
    print(markdown(header, [data_row(n, B) for n in SIZES for B in batches]))


if __name__ == "__main__":
    main()
