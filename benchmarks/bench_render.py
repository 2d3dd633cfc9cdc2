"""Render speed: live in-place updates (HeatmapGrid) vs rebuilding each frame.

Run: .venv/bin/python benchmarks/bench_render.py [--repeats N] [--paths]

Each scenario plays a "slider drag": the inputs x move a little per frame,
so every block changes value (as in the explorer). Two ways to get the PNG
of each frame are timed in the same run:

- baseline: plot_batch_jacobian / plot_batch_hessian from scratch, then
  fig.savefig(png) -- what a naive widget callback does;
- live: HeatmapGrid.render on one persistent grid (after a first, untimed
  build) -- in-place artist updates, blitting of changed groups onto a cached
  background, PNG encode of the canvas buffer.

Printed: medians in ms, the ratio baseline / live, and the target of issue 4.

A second table times shape changes (a lecturer toggling the batch size or
the order): "new" is the first render of a shape the grid has not drawn
(a build), "back" a render of a shape it drew a moment ago, both against the
baseline plot function + savefig of the same frame.

The scales table (``--scales``) times live redraws of the Hessian slider drag on the
shared colour scale and on a scale per output (``scale="output"``, each output's limit
a text of the picture), frame by frame in turn on two persistent grids (which one goes
first alternates); and live redraws of a diagonal Jacobian (``x**3``, B = 8, n = 8:
448 exact zeros, no numbers written) with the dots on exact zeros and without
(``MIN_DOT_CELL`` set out of reach).

A third table compares the two drawing paths of this matplotlib (the fast
path of jacviz.plotting._fast and the plain-matplotlib fallback, forced by
turning the switch off), frame by frame in turn: what a user whose
matplotlib fails the fast path's probe gets. Run it in the lowest-versions
venv of .ci/matrix (.venvs/lowest/bin/python) for the oldest matplotlib.
"""

import argparse
import io
import statistics
import time

import matplotlib
import numpy as np
from matplotlib.figure import Figure

from jacviz.plotting import HeatmapGrid, _scenes, plot_batch_hessian, plot_batch_jacobian
from jacviz.plotting._fast import drawing_switch

DPI = 80


def sine_map(batch, n, seed=0):
    """f(x) = sin(A x) per example: returns A and a frame maker (x -> jac, hess)."""
    a = np.random.default_rng(seed).normal(size=(n, n))

    def frame(t):
        x = np.linspace(-1.0, 1.0, batch * n).reshape(batch, n) + 0.03 * t
        z = x @ a.T
        jac = np.cos(z)[:, :, None] * a[None]
        hess = -np.sin(z)[:, :, None, None] * a[None, :, :, None] * a[None, :, None, :]
        return x, jac, hess

    return frame


def time_frames(render, frames):
    """Median wall time (ms) of render(frame) over the frames."""
    times = []
    for frame in frames:
        start = time.perf_counter()
        render(frame)
        times.append(time.perf_counter() - start)
    return 1e3 * statistics.median(times)


def baseline(plot, kind_index):
    """Rebuild from scratch with the plot function and savefig, per frame."""

    def render(frame):
        x, *arrays = frame
        fig = plot(arrays[kind_index], x=x, fig=Figure(figsize=(8, 9), dpi=DPI))
        fig.savefig(io.BytesIO(), format="png", dpi=DPI)

    return render


def live(kind, kind_index, first):
    """One persistent HeatmapGrid, built once on ``first`` (untimed)."""
    grid = HeatmapGrid(dpi=DPI)
    x, *arrays = first
    grid.render(kind, arrays[kind_index], x=x)

    def render(frame):
        x, *arrays = frame
        grid.render(kind, arrays[kind_index], x=x)

    return render


SCENARIOS = [
    # name, kind, plot function, index into (jac, hess), B, n (= m), target ms
    ("jacobian B=4 n=m=4 (64 values)", "jacobian", plot_batch_jacobian, 0, 4, 4, 30.0),
    ("jacobian B=2 n=m=2 (x**3 tour)", "jacobian", plot_batch_jacobian, 0, 2, 2, 30.0),
    ("hessian  B=8 n=m=4 (32 panels)", "hessian", plot_batch_hessian, 1, 8, 4, 80.0),
]


REBUILDS = [
    # name, the two (kind, B) shapes toggled between, n (= m)
    ("jacobian B 3<->4 n=m=4", (("jacobian", 3), ("jacobian", 4)), 4),
    ("hessian  B 3<->4 n=m=4", (("hessian", 3), ("hessian", 4)), 4),
    ("order 1<->2 B=4 n=m=4", (("jacobian", 4), ("hessian", 4)), 4),
]
PLOTS = {"jacobian": (plot_batch_jacobian, 0), "hessian": (plot_batch_hessian, 1)}


def shape_frames(shapes, n, count):
    """Alternate frames of the two shapes: (kind, x, data) tuples."""
    frames = []
    for t in range(count):
        kind, batch = shapes[t % 2]
        x, *arrays = sine_map(batch, n)(t)
        frames.append((kind, x, arrays[PLOTS[kind][1]]))
    return frames


def time_renders(grid, frames):
    """Wall times (ms) of grid.render for each frame."""
    times = []
    for kind, x, data in frames:
        start = time.perf_counter()
        grid.render(kind, data, x=x)
        times.append(1e3 * (time.perf_counter() - start))
    return times


def rebuild_times(shapes, n, repeats):
    """Median ms of a new-shape render (fresh grids) and of toggling back (one grid)."""
    new = []
    for t in range(repeats):
        first, second = shape_frames(shapes, n, 2 + t)[-2:]
        grid = HeatmapGrid(dpi=DPI)
        time_renders(grid, [first])
        new += time_renders(grid, [second])
    grid = HeatmapGrid(dpi=DPI)
    back = time_renders(grid, shape_frames(shapes, n, 2 + repeats))[2:]
    return statistics.median(new), statistics.median(back)


def plot_time(shapes, n, repeats):
    """Median ms of the plot function + savefig for the second shape."""

    def render(frame):
        kind, x, data = frame
        plot, _ = PLOTS[kind]
        fig = plot(data, x=x, fig=Figure(figsize=(8, 9), dpi=DPI))
        fig.savefig(io.BytesIO(), format="png", dpi=DPI)

    frames = [frame for frame in shape_frames(shapes, n, 2 * repeats) if frame[0] == shapes[1][0]]
    return time_frames(render, frames[:repeats])


def build(kind, kind_index):
    """A new HeatmapGrid per frame: a build."""

    def render(frame):
        x, *arrays = frame
        HeatmapGrid(dpi=DPI).render(kind, arrays[kind_index], x=x)

    return render


def path_times(kind, index, batch, n, repeats):
    """Median ms of a live redraw and of a build, fast path vs plain, frame by frame in turn."""
    switch = drawing_switch()
    fast_path = switch.on
    frames = [sine_map(batch, n)(t) for t in range(repeats + 1)]
    times = {"fast": ([], []), "plain": ([], [])}
    grids = {}
    try:
        for path in ("fast", "plain"):
            switch.on = fast_path and path == "fast"
            grids[path] = live(kind, index, frames[0])
        for t, frame in enumerate(frames[1:]):
            for path in ("fast", "plain"):
                switch.on = fast_path and path == "fast"
                redraws, builds = times[path]
                redraws.append(time_frames(grids[path], [frame]))
                if t < max(5, repeats // 3):
                    builds.append(time_frames(build(kind, index), [frame]))
    finally:
        switch.on = fast_path
    return {path: [statistics.median(values) for values in pair] for path, pair in times.items()}


def speed_table(repeats):
    """Live redraws against the rebuild baseline."""
    header = f"{'scenario':34} {'baseline ms':>12} {'live ms':>9} {'ratio':>7} {'target':>8}"
    print(header)
    print("-" * len(header))
    for name, kind, plot, index, batch, n, target in SCENARIOS:
        frame = sine_map(batch, n)
        frames = [frame(t) for t in range(1, repeats + 1)]
        slow = time_frames(baseline(plot, index), frames[: max(5, repeats // 3)])
        fast = time_frames(live(kind, index, frame(0)), frames)
        verdict = "ok" if fast <= target else "MISSED"
        print(f"{name:34} {slow:12.1f} {fast:9.1f} {slow / fast:6.1f}x {target:5.0f} ms {verdict}")


def rebuild_table(repeats):
    """Shape changes: a new view against going back to a cached one."""
    header = f"{'shape change':34} {'baseline ms':>12} {'new ms':>8} {'back ms':>8} {'ratios':>13}"
    print(header)
    print("-" * len(header))
    repeats = max(5, repeats // 3)
    for name, shapes, n in REBUILDS:
        slow = plot_time(shapes, n, repeats)
        new, back = rebuild_times(shapes, n, repeats)
        ratios = f"{slow / new:.1f}x {slow / back:5.1f}x"
        print(f"{name:34} {slow:12.1f} {new:8.1f} {back:8.1f} {ratios:>13}")


def paths_table(repeats):
    """The fast path against the plain-matplotlib path of this matplotlib."""
    switch = drawing_switch()
    print(f"drawing paths, matplotlib {matplotlib.__version__} ({switch!r})")
    header = f"{'scenario':34} {'fast redraw':>12} {'plain redraw':>13} {'fast new':>9}"
    header += f" {'plain new':>10}"
    print(header)
    print("-" * len(header))
    for name, kind, _, index, batch, n, _ in SCENARIOS[::2]:
        times = path_times(kind, index, batch, n, repeats)
        (fast, fast_new), (plain, plain_new) = times["fast"], times["plain"]
        fast_cols = f"{fast:12.1f}" if switch.on else f"{'(no fast)':>12}"
        print(f"{name:34} {fast_cols} {plain:13.1f} {fast_new:9.1f} {plain_new:10.1f}")


def in_turn(grids, t):
    """The grids' items, the first one first in even frames and last in odd ones."""
    items = list(grids.items())
    return items if t % 2 == 0 else items[::-1]


def scales_table(repeats):
    """Live Hessian redraws: the shared colour scale against a scale per output."""
    header = f"{'scenario':34} {'shared ms':>10} {'per output ms':>14} {'ratio':>7}"
    print(header)
    print("-" * len(header))
    for name, kind, _, _, batch, n, _ in SCENARIOS:
        if kind != "hessian":
            continue
        frame = sine_map(batch, n)
        grids = {scale: HeatmapGrid(dpi=DPI) for scale in ("shared", "output")}
        times = {scale: [] for scale in grids}
        for t in range(repeats + 1):
            x, _, hess = frame(t)
            for scale, grid in in_turn(grids, t):
                start = time.perf_counter()
                grid.render(kind, hess, x=x, scale=scale)
                if t:  # the first frame builds the view: untimed
                    times[scale].append(1e3 * (time.perf_counter() - start))
        shared, own = (statistics.median(times[scale]) for scale in grids)
        print(f"{name:34} {shared:10.1f} {own:14.1f} {own / shared:6.2f}x")
    print()
    zeros_table(repeats)


def zeros_table(repeats):
    """Live redraws of a diagonal Jacobian with and without the dots on exact zeros."""
    header = f"{'scenario':34} {'no dots ms':>10} {'dots ms':>9} {'ratio':>7}"
    print(header)
    print("-" * len(header))
    dotted = _scenes.MIN_DOT_CELL
    grids = {"no dots": HeatmapGrid(dpi=DPI), "dots": HeatmapGrid(dpi=DPI)}
    times = {way: [] for way in grids}
    try:
        for t in range(repeats + 1):
            x = np.linspace(-1.0, 1.0, 64).reshape(8, 8) + 0.03 * t
            jac = np.stack([np.diag(3 * row**2) for row in x])  # f(x) = x**3
            for way, grid in in_turn(grids, t):
                _scenes.MIN_DOT_CELL = dotted if way == "dots" else float("inf")
                start = time.perf_counter()
                grid.render("jacobian", jac, x=x)
                if t:
                    times[way].append(1e3 * (time.perf_counter() - start))
    finally:
        _scenes.MIN_DOT_CELL = dotted
    bare, dots = (statistics.median(times[way]) for way in grids)
    name = "jacobian B=8 n=m=8 x**3 (448 zeros)"
    print(f"{name:34} {bare:10.1f} {dots:9.1f} {dots / bare:6.2f}x")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=30, help="frames per scenario")
    parser.add_argument("--paths", action="store_true", help="only the drawing-paths table")
    parser.add_argument("--scales", action="store_true", help="only the colour-scales table")
    args = parser.parse_args()
    if args.scales:
        scales_table(args.repeats)
        return
    if not args.paths:
        speed_table(args.repeats)
        print()
        rebuild_table(args.repeats)
        print()
    paths_table(args.repeats)


if __name__ == "__main__":
    main()
