"""Benchmark the explorer's still: what displaying an explorer costs now that it carries one.

Plain script: ``python benchmarks/bench_notes.py [--quick]``. Prints medians
measured in this run and ratios against baselines measured in the same run.

1. Display: ``explorer._repr_mimebundle_()`` -- the widget view plus the still
   (PNG base64-encoded twice, formula and status lines, text alternative with the
   numbers) -- against the widget view alone (ipywidgets' own
   ``_repr_mimebundle_``), for B = 2, n = 3 (softmax) and B = 16, n = 8. It runs
   once per display, never on a live update; the update is timed beside it for
   scale (one entry of the batch changed).
2. Size: bytes the still adds to a notebook output (``image/png`` and
   ``text/html``), per explorer.
"""

import argparse
import json
import statistics
import time

import ipywidgets as widgets
import numpy as np

import jacviz

CASES = {
    "softmax, B = 2, n = 3": ("softmax(x)", np.array([[1.0, 2.0, 0.5], [0.0, 1.0, 3.0]])),
    "tanh(x), B = 16, n = 8": ("tanh(x)", np.linspace(-1.0, 1.0, 128).reshape(16, 8)),
}


def median_ms(action, repeats):
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return 1e3 * statistics.median(times)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats (a smoke run)")
    repeats = 5 if parser.parse_args().quick else 50
    print(f"median of {repeats} runs each")
    for name, (formula, x) in CASES.items():
        explorer = jacviz.explore(formula, x)
        view = median_ms(lambda e=explorer: widgets.VBox._repr_mimebundle_(e), repeats)
        shown = median_ms(explorer._repr_mimebundle_, repeats)
        values = iter(np.linspace(0.1, 0.9, repeats))

        def edit(e=explorer, values=values):
            e.x = np.vstack([[next(values)] * e.x.shape[1], e.x[1:]])

        update = median_ms(edit, repeats)
        bundle = explorer._repr_mimebundle_()
        still = len(bundle["image/png"]) + len(json.dumps(bundle["text/html"]))
        print(
            f"{name:24}  display {shown:6.2f} ms (widget view alone {view:5.3f} ms, "
            f"+{shown - view:5.2f} ms)  one update {update:6.1f} ms  "
            f"display/update {shown / update:4.2f}  still adds {still / 1e3:5.1f} kB"
        )


if __name__ == "__main__":
    main()
