"""Benchmark the JacobianExplorer: control change to new PNG, start-up, memory.

Plain script: ``python benchmarks/bench_widget.py [--quick]``. Prints medians
measured in this run and ratios against a baseline measured in the same run.

1. Update latency: the time from setting a control's ``.value`` (one entry
   box of the batch) until new PNG bytes are in ``explorer.image.value`` --
   the explorer updates synchronously, so this is the assignment's duration;
   also a "random batch" click, which changes every example's block.
   Baseline: a naive rebuild of the same picture, ``batch_jacobian`` +
   ``plot_batch_jacobian``/``plot_batch_hessian`` on a new figure + ``savefig``
   to PNG. Targets: <= 30 ms for B = 4, n = m = 4, order 1; <= 80 ms for
   B = 8, n = m = 4, order 2. The teaching extras (finite-difference check,
   values table with formulas, linear map) are off by default, so these rows
   are the default path; the extras are timed on their own below.
2. Rebuilds: a batch-size step (B -> B + 1 and back) and an order toggle
   (there and back) change the figure's structure; timed the same way, with
   the same naive rebuild as baseline (no target: the plotting layer may keep
   built figures, which makes going back fast).
3. Extras, B = 4, n = m = 4: one entry with the finite-difference check on,
   with the values table (and formulas) open, and a radius step of the
   linear-map view (a 2 x 2 map: ``tanh(W @ x + b)`` with n = 2).
4. Start-up: ``import jacviz`` + building a ``JacobianExplorer()``, in a fresh
   subprocess (so nothing is imported yet), with bytecode compiled as an
   installed package has it. Target <= 1.5 s. Baselines: importing the
   dependencies alone (the floor jacviz cannot go under) and numpy alone.
5. Memory: RSS growth over 1,000 updates after a warm-up, and the number of
   live matplotlib figures before and after. Target <= 5 MB, figures constant.

BLAS runs single-threaded (``OPENBLAS_NUM_THREADS=1`` unless set), as in the
engine benchmark: on 2 shared cores threaded BLAS makes medians swing.
"""

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # read when numpy is imported, below

import argparse
import gc
import io
import resource
import statistics
import subprocess
import sys
import tempfile
import time

import numpy as np
from matplotlib.figure import Figure

from jacviz import (
    JacobianExplorer,
    batch_jacobian,
    parse_function,
    plot_batch_hessian,
    plot_batch_jacobian,
)
from jacviz.widget._explorer import DPI

LAYER = "tanh(W @ x + b)"  # a dense layer: dense n x n Jacobian blocks
CASES = (  # (batch size B, n = m, order, target ms)
    (2, 2, 1, 30.0),
    (4, 4, 1, 30.0),
    (8, 4, 2, 80.0),
)


def layer_constants(n):
    """Fixed weights ``W (n, n)`` and bias ``b (n,)`` for the dense layer."""
    rng = np.random.default_rng(n)
    return {"W": rng.standard_normal((n, n)) / np.sqrt(n), "b": rng.standard_normal(n)}


def batch(batch_size, n):
    """A fixed batch ``x (B, n)`` of values in [-2, 2]."""
    return np.random.default_rng(batch_size * 10 + n).uniform(-2, 2, (batch_size, n)).round(1)


def explorer_for(batch_size, n, order):
    """An explorer showing the dense layer at ``order``."""
    return JacobianExplorer(LAYER, batch(batch_size, n), order, constants=layer_constants(n))


def time_updates(explorer, repeats):
    """Median seconds from an entry box's new ``.value`` to new PNG bytes in the image."""
    entry = explorer.batch_grid.entry(0, 0)
    start_value, times = entry.value, []
    for step in range(repeats + 3):
        count = explorer.render_count
        start = time.perf_counter()
        entry.value = start_value + 0.1 * (step % 7 + 1)
        elapsed = time.perf_counter() - start
        assert explorer.render_count == count + 1 and not explorer.error, explorer.error
        if step >= 3:  # warm-up
            times.append(elapsed)
    return statistics.median(times)


def time_random_batches(explorer, repeats):
    """Median seconds of a "random batch" click: every example's block changes."""
    return time_steps(explorer, explorer.random_button.click, repeats)


def time_steps(explorer, step, repeats, warm_up=3):
    """Median seconds of ``step()``, each of which must draw exactly one new picture."""
    times = []
    for k in range(repeats + warm_up):
        count = explorer.render_count
        start = time.perf_counter()
        step()
        elapsed = time.perf_counter() - start
        assert explorer.render_count == count + 1 and not explorer.error, explorer.error
        if k >= warm_up:
            times.append(elapsed)
    return statistics.median(times)


def flip(control, a, b):
    """A step that sets ``control.value`` to ``a`` or ``b``, whichever it is not."""

    def step():
        control.value = b if control.value == a else a

    return step


def time_rebuilds(explorer, repeats):
    """Median seconds of a batch-size step and of an order toggle, there and back."""
    batch_size, order = explorer.x.shape[0], explorer.order
    resize = time_steps(
        explorer, flip(explorer.batch_size_slider, batch_size, batch_size + 1), repeats
    )
    explorer.batch_size_slider.value = batch_size
    toggle = time_steps(explorer, flip(explorer.order_toggle, order, 3 - order), repeats)
    explorer.order_toggle.value = order
    return resize, toggle


def naive_rebuild(f, x, order):
    """Baseline: derivative, a brand-new figure, savefig to PNG bytes."""
    result = batch_jacobian(f, x, order=order)
    fig = Figure(dpi=DPI)  # the same resolution as the explorer's picture
    if order == 1:
        plot_batch_jacobian(result, x=x, fig=fig)
    else:
        plot_batch_hessian(result, x=x, fig=fig)
    out = io.BytesIO()
    fig.savefig(out, format="png")
    return out.getvalue()


def time_entry_steps(explorer, repeats):
    """Median seconds of an entry box's new ``.value`` (the default path's step)."""
    entry = explorer.batch_grid.entry(0, 0)
    start_value, values = entry.value, iter(range(10**9))

    def step():
        entry.value = start_value + 0.1 * (next(values) % 7 + 1)

    return time_steps(explorer, step, repeats)


def time_baseline(batch_size, n, order, repeats):
    """Median seconds of :func:`naive_rebuild` with a changing entry."""
    f, x = parse_function(LAYER, constants=layer_constants(n)), batch(batch_size, n)
    times = []
    for step in range(repeats + 1):
        x[0, 0] += 0.1
        start = time.perf_counter()
        naive_rebuild(f, x, order)
        if step:
            times.append(time.perf_counter() - start)
    return statistics.median(times)


def latency_table(repeats):
    print(
        "| B | n = m | order | one entry (ms) | random batch (ms) | naive rebuild (ms) "
        "| speed-up (one entry) | target |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for batch_size, n, order, target in CASES:
        explorer = explorer_for(batch_size, n, order)
        widget_ms = 1000 * time_updates(explorer, repeats)
        random_ms = 1000 * time_random_batches(explorer, repeats)
        naive_ms = 1000 * time_baseline(batch_size, n, order, max(3, repeats // 4))
        verdict = "ok" if max(widget_ms, random_ms) <= target else "MISSED"
        print(
            f"| {batch_size} | {n} | {order} | {widget_ms:.1f} | {random_ms:.1f} | {naive_ms:.1f} "
            f"| {naive_ms / widget_ms:.1f}× | ≤ {target:.0f} ms {verdict} |"
        )


def rebuild_table(repeats):
    print(
        "\n| B | n = m | order | batch size ±1 (ms) | order toggle (ms) | naive rebuild (ms) "
        "| speed-up (batch size / order) |"
    )
    print("|---|---|---|---|---|---|---|")
    for batch_size, n, order, _ in CASES:
        explorer = explorer_for(batch_size, n, order)
        resize_ms, toggle_ms = (1000 * t for t in time_rebuilds(explorer, repeats))
        naive_ms = 1000 * time_baseline(batch_size, n, order, max(3, repeats // 4))
        print(
            f"| {batch_size} | {n} | {order} | {resize_ms:.1f} | {toggle_ms:.1f} | {naive_ms:.1f} "
            f"| {naive_ms / resize_ms:.1f}× / {naive_ms / toggle_ms:.1f}× |"
        )


def extras_table(repeats):
    explorer = explorer_for(4, 4, 1)
    plain_ms = 1000 * time_entry_steps(explorer, repeats)
    explorer.fd_checkbox.value = True
    check_ms = 1000 * time_entry_steps(explorer, repeats)
    explorer.fd_checkbox.value = False
    explorer.values_checkbox.value = True
    table_ms = 1000 * time_entry_steps(explorer, repeats)
    plane = explorer_for(4, 2, 1)
    plane.linear_map_toggle.value = True
    radius_ms = 1000 * time_steps(plane, flip(plane.radius_slider, 0.5, 0.6), max(3, repeats // 4))
    print("\n| B = 4, n = m = 4, order 1 | one entry (ms) | ratio vs default |")
    print("|---|---|---|")
    print(f"| default (extras off) | {plain_ms:.1f} | 1.0× |")
    print(f"| finite-difference check on | {check_ms:.1f} | {check_ms / plain_ms:.1f}× |")
    print(f"| values table + formulas open | {table_ms:.1f} | {table_ms / plain_ms:.1f}× |")
    print(
        f"| linear map (n = m = 2), radius step | {radius_ms:.1f} | {radius_ms / plain_ms:.1f}× |"
    )


STARTUP = """
import time
start = time.perf_counter()
import jacviz
explorer = jacviz.JacobianExplorer()
assert explorer.render_count == 1
print(time.perf_counter() - start)
"""

DEPENDENCIES = """
import time
start = time.perf_counter()
import autograd.numpy, ipywidgets, matplotlib.figure, matplotlib.backends.backend_agg
print(time.perf_counter() - start)
"""

BARE = "import time; start = time.perf_counter(); import numpy; print(time.perf_counter() - start)"


def startup_seconds(codes, runs, cache):
    """Median wall time printed by each of ``codes`` in fresh interpreters.

    The codes take turns, run after run, so a slow spell of the machine
    hits them alike. Bytecode is read from (and on a first, untimed round
    written to) the folder ``cache``, as an installed package's is: ``pip
    install`` compiles it, while a checkout in an environment with
    ``PYTHONDONTWRITEBYTECODE`` (this machine sets it) would compile jacviz's
    10,000 lines again on every import, about 0.1 s more.
    """
    env = {**os.environ, "PYTHONPYCACHEPREFIX": cache}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    times = {code: [] for code in codes}
    for run in range(runs + 1):
        for code in codes:
            command = [sys.executable, "-c", code]
            out = subprocess.run(command, capture_output=True, text=True, env=env, check=True)
            if run:  # the first round compiled the bytecode
                times[code].append(float(out.stdout.strip().splitlines()[-1]))
    return [statistics.median(times[code]) for code in codes]


def startup_table(runs):
    with tempfile.TemporaryDirectory() as cache:
        explorer_s, floor_s, numpy_s = startup_seconds((STARTUP, DEPENDENCIES, BARE), runs, cache)
    verdict = "ok" if explorer_s <= 1.5 else "MISSED"
    print(f"\nimport jacviz + JacobianExplorer(): {explorer_s:.2f} s, median of {runs} runs")
    print(
        f"(importing its dependencies alone -- matplotlib Figure + Agg, autograd, ipywidgets: "
        f"{floor_s:.2f} s, ratio {explorer_s / floor_s:.2f}×; numpy alone: {numpy_s:.2f} s) "
        f"· target ≤ 1.5 s {verdict}"
    )


def rss_mb():
    """Resident set size of this process now (Linux), in MB."""
    with open("/proc/self/statm") as statm:
        pages = int(statm.read().split()[1])
    return pages * resource.getpagesize() / 2**20


def live_figures():
    gc.collect()
    return sum(isinstance(obj, Figure) for obj in gc.get_objects())


def memory_table(updates):
    explorer = explorer_for(4, 4, 1)
    entry = explorer.batch_grid.entry(0, 0)
    for step in range(100):  # warm-up: caches, allocator pools
        entry.value = 0.1 * (step % 9 + 1)
    figures, artists, rss = live_figures(), len(explorer.figure.findobj()), rss_mb()
    for step in range(updates):
        entry.value = 0.1 * (step % 9 + 1) + (0.05 if step % 18 >= 9 else 0.0)
    grown = rss_mb() - rss
    verdict = "ok" if grown <= 5 and live_figures() == figures else "MISSED"
    print(
        f"\n{updates} updates: RSS grew {grown:+.1f} MB; live figures {figures} -> "
        f"{live_figures()}; artists {artists} -> {len(explorer.figure.findobj())} · "
        f"target ≤ 5 MB, figures constant: {verdict}"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats (a smoke run)")
    args = parser.parse_args()
    latency_table(repeats=10 if args.quick else 40)
    rebuild_table(repeats=6 if args.quick else 20)
    extras_table(repeats=10 if args.quick else 40)
    startup_table(runs=2 if args.quick else 5)
    memory_table(updates=200 if args.quick else 1000)


if __name__ == "__main__":
    main()
