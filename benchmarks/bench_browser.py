"""Benchmark the explorer's round trip in a real browser, phase by phase.

Plain script, one command: ``python benchmarks/bench_browser.py [--quick] [--repeats N]
[--apps lab,voila]``. It starts JupyterLab and Voila on 127.0.0.1 (each in its
own process group, stopped at the end whatever happens), opens
``notebooks/explorer_app.ipynb`` (the explorer on ``x**3``, ``x`` of shape
(2, 2)) in headless Debian Chromium, and times four actions a student makes:

* **value edit**: a new number in the box of ``x[0, 0]``, then Enter;
* **batch-size step**: ArrowRight / ArrowLeft on the batch slider, bouncing
  between B = 1 and B = 10 (new shapes and shapes seen a moment ago);
* **order toggle**: clicking "2nd order" / "1st order" in turn;
* **formula change**: ``sin(x)`` / ``x**3`` typed into the formula box, then Enter.

Each action's phases come from both sides (``tests/e2e/roundtrip.py``): the
page's ``performance.now()`` (input event, kernel messages sent and received,
``<img>`` source set, decoded, painted) and the kernel's ``perf_counter()``
(``$JACVIZ_TRACE``, ``jacviz/widget/_trace.py``: message received, update,
echo, compute, draw, PNG, picture sent), joined with a clock offset measured
by round trips to the page. The script prints, per app, a table of each
phase's median and 95th percentile in ms over ``--repeats`` actions (20; 5
with ``--quick``) after two warm-up actions. "total" runs from the input
event until the new picture is painted and its ``render #N`` shown.

Targets (issue #16, medians on the project's 2-core VM): value edit ≤ 60 ms,
batch-size step ≤ 100 ms, order toggle ≤ 150 ms, in JupyterLab and in Voila;
p95 ≤ 2× the median. Every wait is bounded (30 s per action, ``--timeout``
for the whole run); nothing leaves 127.0.0.1.
"""

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # the kernels inherit it

import argparse
import contextlib
import json
import signal
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "e2e"))

from explorer_page import (  # found through the path above
    BATCH_SLIDER_HANDLE,
    FUNCTION_INPUT,
    ORDER_BUTTONS,
    open_notebook_and_run_all,
    render_count,
    wait_for_explorer,
)
from roundtrip import KernelTrace, clock_offset, install, timed_action
from servers import (
    CHROMIUM_ARGS,
    chromium_path,
    isolated_env,
    only_local,
    served_copy,
    start_lab,
    start_voila,
    stop_server,
)

APP_NOTEBOOK = "explorer_app.ipynb"
ENTRY_INPUT = ".jacviz-batch-grid input"  # the first box: x[0, 0]
TARGETS = {"value edit": 60, "batch-size step": 100, "order toggle": 150}
WARM_UP = 2
# phase name -> (start, end): events on one clock (page ms; kernel marks converted)
PHASES = (
    ("input → message sent", "input", "sent"),
    ("→ kernel received", "sent", "k.received"),
    ("kernel: handlers", "k.received", "k.update"),
    ("echo into controls", "k.update", "k.echoed"),
    ("compute", "k.echoed", "k.computed"),
    ("draw", "k.computed", "k.drawn"),
    ("PNG encode", "k.drawn", "k.encoded"),
    ("picture message sent", "k.encoded", "k.sent"),
    ("→ browser received", "k.sent", "picture"),
    ("→ <img> src set", "picture", "src"),
    ("→ loaded", "src", "loaded"),
    ("→ decoded", "loaded", "decoded"),
    ("→ painted", "decoded", "painted"),
    ("total", "input", "end"),
)


class Action:
    """One kind of student action: ``step(page, k)`` makes the k-th input of it."""

    def __init__(self, name, step):
        self.name = name
        self.step = step


def value_edit(page, k):
    box = page.locator(ENTRY_INPUT).first
    box.fill(str(4.5 + 0.5 * (k % 2)))  # never the value shown (4 at the start)
    box.press("Enter")


def batch_step(page, k, low=1, high=10):
    """Bounce the batch slider between ``low`` and ``high``, one step per call."""
    handle = page.locator(BATCH_SLIDER_HANDLE).first
    size = int(handle.get_attribute("aria-valuenow").split(".")[0])
    going_up = (k // (high - low)) % 2 == 0
    key = "ArrowRight" if (going_up and size < high) or size <= low else "ArrowLeft"
    handle.focus()
    handle.press(key)


def order_toggle(page, k):
    label = "2nd order" if k % 2 == 0 else "1st order"
    page.locator(ORDER_BUTTONS, has_text=label).first.click()


def formula_change(page, k):
    box = page.locator(FUNCTION_INPUT).first
    box.fill("sin(x)" if k % 2 == 0 else "x**3")
    box.press("Enter")


ACTIONS = (
    Action("value edit", value_edit),
    Action("order toggle", order_toggle),
    Action("formula change", formula_change),
    Action("batch-size step", batch_step),
)


def events(timed, kernel_line, offset):
    """Return when each event of one action happened, in page ms (see :data:`PHASES`)."""
    log = timed.log
    start = timed.start
    comms = [m for m in log["sent"] if m.get("type") == "comm_msg" and m["t"] >= start]
    pictures = [m for m in log["received"] if m.get("png")]
    found = {"input": start, "end": timed.end}
    if comms:
        found["sent"] = comms[0]["t"]
    if pictures:
        found["picture"] = pictures[-1]["t"]
    images = [i for i in log["images"] if "t_painted" in i]
    if images:
        last = images[-1]
        found.update(src=last["t_src"], decoded=last["t_decoded"], painted=last["t_painted"])
        if "t_load" in last:
            found["loaded"] = last["t_load"]
    for phase, seconds in (kernel_line or {}).get("marks", {}).items():
        found[f"k.{phase}"] = seconds * 1000 - offset
    return found


def facts(timed, kernel_line):
    """Counts of one action: messages each way, bytes received, PNG size, view built."""
    log = timed.log
    comm_in = [m for m in log["received"] if m.get("type") == "comm_msg"]
    return {
        "comm messages sent": sum(m.get("type") == "comm_msg" for m in log["sent"]),
        "comm messages received": len(comm_in),
        "pictures received": sum(bool(m.get("png")) for m in log["received"]),
        "KB received": sum(m.get("bytes", 0) for m in log["received"]) / 1024,
        "layout changes of <img>": len(log["resizes"]),
        "built a new view": float(bool((kernel_line or {}).get("built"))),
    }


def percentile(values, q):
    """The ``q``-th percentile (0-100) of ``values``, linearly interpolated."""
    ordered = sorted(values)
    position = (len(ordered) - 1) * q / 100
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def measure(page, trace, action, repeats, offset, raw=None):
    """Time ``repeats`` actions after the warm-up; return (phase ms lists, fact lists).

    ``raw``, a file, gets one JSON line per action: what the page and the kernel recorded.
    """
    phases, counts = {}, {}
    for k in range(WARM_UP + repeats):
        render = render_count(page) + 1
        timed = timed_action(page, lambda k=k: action.step(page, k), render)
        kernel = trace.new_lines()
        lines = [line for line in kernel if line.get("render_count") == render]
        if raw is not None:
            record = {"action": action.name, "k": k, "offset": offset, "kernel": kernel}
            raw.write(json.dumps({**record, "page": timed.log}) + "\n")
        if k < WARM_UP:
            continue
        found = events(timed, lines[-1] if lines else None, offset)
        for name, begin, end in PHASES:
            if begin in found and end in found:
                phases.setdefault(name, []).append(found[end] - found[begin])
        for name, value in facts(timed, lines[-1] if lines else None).items():
            counts.setdefault(name, []).append(value)
    return phases, counts


def print_table(app, results, offset, error):
    names = [action.name for action in ACTIONS if action.name in results]
    print(f"\n### {app}: median / p95, ms (clock offset ±{error:.1f} ms)\n")
    print("| phase | " + " | ".join(names) + " |")
    print("|---|" + "---|" * len(names))
    for phase, _, _ in PHASES:
        cells = []
        for name in names:
            values = results[name][0].get(phase, [])
            cells.append(
                f"{statistics.median(values):.1f} / {percentile(values, 95):.1f}" if values else "–"
            )
        print(f"| {phase} | " + " | ".join(cells) + " |")
    for fact in results[names[0]][1]:
        cells = [f"{statistics.mean(results[name][1][fact]):.2f}" for name in names]
        print(f"| {fact} (mean) | " + " | ".join(cells) + " |")
    verdicts = []
    for name, target in TARGETS.items():
        if name not in results:
            continue
        total = results[name][0]["total"]
        median, p95 = statistics.median(total), percentile(total, 95)
        ok = median <= target and p95 <= 2 * median
        verdicts.append(
            f"{name} {median:.0f} ms (p95 {p95:.0f}) ≤ {target} ms: {'ok' if ok else 'MISSED'}"
        )
    print(f"\n{app} targets: " + "; ".join(verdicts))


def open_app(page, app, url):
    """Open the explorer in ``app`` at ``url`` and wait for its first picture."""
    if app == "JupyterLab":
        open_notebook_and_run_all(page, url, APP_NOTEBOOK)
    else:
        page.goto(url)
    wait_for_explorer(page)


def run_app(browser, app, url, trace, repeats, actions, raw=None):
    """Measure every action in ``app``; print its table."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(30_000)
    context.route("**/*", only_local)
    install(context)
    try:
        page = context.new_page()
        open_app(page, app, url)
        trace.new_lines()
        offset, error = clock_offset(page)
        results = {
            action.name: measure(page, trace, action, repeats, offset, raw)
            for action in ACTIONS
            if action.name in actions
        }
    finally:
        context.close()
    print_table(app, results, offset, error)


@contextlib.contextmanager
def server(app, root, env, logs, no_delay=True):
    """Run the server of ``app`` over ``root``; yield its URL; stop its process group."""
    if app == "JupyterLab":
        proc, url = start_lab(root, env, logs / "jupyterlab.log", no_delay)
    else:
        proc, url = start_voila(root / APP_NOTEBOOK, env, logs / "voila.log", no_delay)
    try:
        yield url
    finally:
        stop_server(proc)


def on_timeout(signum, frame):
    raise TimeoutError("bench_browser.py ran longer than --timeout; servers are being stopped")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="5 repeats per action")
    parser.add_argument("--repeats", type=int, default=20, help="timed actions per kind")
    parser.add_argument("--apps", default="lab,voila", help="lab, voila or both (default)")
    parser.add_argument("--timeout", type=int, default=900, help="seconds for the whole run")
    parser.add_argument("--actions", default=",".join(a.name for a in ACTIONS), help="which")
    parser.add_argument("--raw", type=Path, help="write every action's records here (JSON lines)")
    parser.add_argument(
        "--stock-server",
        action="store_true",
        help="Jupyter's own kernel WebSocket (Nagle's algorithm on), not make lab's / jacviz-app's",
    )
    args = parser.parse_args()
    repeats = 5 if args.quick else args.repeats
    apps = [{"lab": "JupyterLab", "voila": "Voila"}[name] for name in args.apps.split(",")]
    actions = args.actions.split(",")
    raw = open(args.raw, "w", encoding="utf-8") if args.raw else None  # noqa: SIM115
    executable = chromium_path()
    if executable is None:
        sys.exit("needs Debian's Chromium: apt-get install -y chromium")
    from playwright.sync_api import sync_playwright

    signal.signal(signal.SIGALRM, on_timeout)
    signal.alarm(args.timeout)
    with tempfile.TemporaryDirectory(prefix="bench-browser-") as folder:
        folder = Path(folder)
        root = served_copy(folder / "served")
        trace = KernelTrace(folder / "trace.jsonl")
        env = isolated_env(folder / "home", JACVIZ_TRACE=str(trace.path))
        server_kind = "stock" if args.stock_server else "TCP_NODELAY (jacviz.server)"
        print(
            f"bench_browser: {repeats} actions of each kind after {WARM_UP} warm-up ones; "
            f"kernel WebSocket: {server_kind}"
        )
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
            try:
                for app in apps:
                    with server(app, root, env, folder, not args.stock_server) as url:
                        run_app(browser, app, url, trace, repeats, actions, raw)
            finally:
                browser.close()


if __name__ == "__main__":
    main()
