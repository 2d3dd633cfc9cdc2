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
with ``--quick``, a smoke run: 4 of its 5 batch-size steps go to shapes never
drawn) after two warm-up actions (the first one's total is shown
apart). "total" runs from the input event until the new picture is painted
and its ``render #N`` shown; it is also split by whether the kernel built a
new view or refilled one it kept. ``--baseline REV`` measures jacviz at git
revision REV as well, action by action in turn with this checkout (the fair
comparison on a busy machine), and prints the ratio of the medians.

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
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "e2e"))

import servers
from explorer_page import (  # found through the path above
    BATCH_SLIDER_HANDLE,
    click_order,
    edit_entry,
    open_notebook_and_run_all,
    render_count,
    type_function,
    wait_for_explorer,
)
from roundtrip import KernelTrace, clock_offset, install, timed_action

APP_NOTEBOOK = "explorer_app.ipynb"
# where a jacviz of some revision keeps its TCP_NODELAY connection class, if it has one
CONNECTIONS = (
    (Path("jacviz/app/websocket.py"), "jacviz.app.websocket.NoDelayConnection"),
    (Path("jacviz/server.py"), "jacviz.server.NoDelayConnection"),
)
TARGETS = {"value edit": 60, "batch-size step": 100, "order toggle": 150}
WARM_UP = 2
# phase name -> (start, end): events on one clock (page ms; kernel marks converted)
PHASES = (
    ("input → message sent", "input", "sent"),
    ("→ kernel received", "sent", "k.received"),
    ("kernel: handlers", "k.received", "k.update"),
    ("compute", "k.update", "k.computed"),
    ("draw", "k.computed", "k.drawn"),
    ("PNG encode", "k.drawn", "k.encoded"),
    ("picture message sent", "k.encoded", "k.sent"),
    ("→ browser received", "k.sent", "picture"),
    ("→ <img> src set", "picture", "src"),
    ("→ loaded", "src", "loaded"),
    ("→ decoded", "loaded", "decoded"),
    ("→ painted", "decoded", "painted"),
    ("total", "input", "end"),
    ("kernel after the picture (status, controls)", "k.sent", "k.handled"),
)
#: The total again, split by whether the kernel built a new view (a structure not kept).
SPLIT = {True: "total, a new view built", False: "total, a kept view refilled"}
FIRST = "total of the first (warm-up) action"


class Action:
    """One kind of student action: ``step(page, k)`` makes the k-th input of it."""

    def __init__(self, name, step):
        self.name = name
        self.step = step


def value_edit(page, k):
    edit_entry(page, 4.5 + 0.5 * (k % 2))  # x[0, 0]: never the value shown (4 at the start)


def batch_step(page, k, low=1, high=10):
    """Bounce the batch-size field between ``low`` and ``high``, one step per call."""
    handle = page.locator(BATCH_SLIDER_HANDLE).first
    size = int(handle.input_value())
    going_up = (k // (high - low)) % 2 == 0
    key = "ArrowUp" if (going_up and size < high) or size <= low else "ArrowDown"
    handle.focus()
    handle.press(key)


def order_toggle(page, k):
    click_order(page, "2nd order" if k % 2 == 0 else "1st order")


def formula_change(page, k):
    type_function(page, "sin(x)" if k % 2 == 0 else "x**3")


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
    found = {
        "comm messages sent": sum(m.get("type") == "comm_msg" for m in log["sent"]),
        "comm messages received": len(comm_in),
        "pictures received": sum(bool(m.get("png")) for m in log["received"]),
        "KB received": sum(m.get("bytes", 0) for m in log["received"]) / 1024,
        "layout changes of <img>": len(log["resizes"]),
    }
    if kernel_line:  # a jacviz with the trace
        found["built a new view"] = float(bool(kernel_line.get("built")))
        found["kernel GC ms (all generations)"] = sum(kernel_line.get("gc_ms", [0]))
    return found


def percentile(values, q):
    """The ``q``-th percentile (0-100) of ``values``, linearly interpolated."""
    ordered = sorted(values)
    position = (len(ordered) - 1) * q / 100
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


class Side:
    """One explorer under test: a server (JupyterLab or Voila) of one jacviz, and its page.

    ``label`` names it in the tables; ``env`` is the servers' environment (its
    ``JACVIZ_TRACE`` names ``trace``'s file); ``connection``: the kernel
    WebSocket's class (None: Jupyter's own). :meth:`open` starts the server and
    opens the page.
    """

    def __init__(self, label, env, trace, connection):
        self.label, self.env, self.trace, self.connection = label, env, trace, connection
        self.page = self.offset = self.error = self.app = None
        self.results = {}  # action name -> (phase -> [ms], fact -> [values])

    def open(self, stack, browser, app, root, logs):
        """Start the server of ``app`` and open the explorer; stopped when ``stack`` closes."""
        logs.mkdir(parents=True, exist_ok=True)
        url = stack.enter_context(server(app, root, self.env, logs, self.connection))
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        stack.callback(context.close)
        context.set_default_timeout(30_000)
        context.route("**/*", servers.only_local)
        install(context)
        self.page, self.app = context.new_page(), app
        open_app(self.page, app, url)
        self.trace.new_lines()
        self.offset, self.error = clock_offset(self.page)
        self.results = {}

    def act(self, action, k, raw=None):
        """Make the ``k``-th ``action`` and wait for its picture; keep its phases after warm-up."""
        render = render_count(self.page) + 1
        timed = timed_action(self.page, lambda: action.step(self.page, k), render)
        kernel = self.trace.new_lines()
        line = ([item for item in kernel if item.get("render_count") == render] or [None])[-1]
        if raw is not None:
            record = {"app": self.app, "side": self.label, "action": action.name, "k": k}
            record["offset"] = self.offset
            raw.write(json.dumps({**record, "kernel": kernel, "page": timed.log}) + "\n")
        phases, counts = self.results.setdefault(action.name, ({}, {}))
        found = events(timed, line, self.offset)
        if k < WARM_UP:  # kept apart: the first of a kind may build a view, warm JIT caches
            if k == 0:
                phases[FIRST] = [found["end"] - found["input"]]
            return
        for name, begin, end in PHASES:
            if begin in found and end in found:
                phases.setdefault(name, []).append(found[end] - found[begin])
        if line is not None:  # a jacviz with the trace says whether it built a new view
            split = SPLIT[bool(line.get("built"))]
            phases.setdefault(split, []).append(found["end"] - found["input"])
        for name, value in facts(timed, line).items():
            counts.setdefault(name, []).append(value)


def cell(values):
    """``median / p95`` of ``values`` (ms), or a dash."""
    return f"{statistics.median(values):.1f} / {percentile(values, 95):.1f}" if values else "–"


def print_table(app, side):
    results = side.results
    names = [action.name for action in ACTIONS if action.name in results]
    print(f"\n### {app}, {side.label}: median / p95, ms (clock offset ±{side.error:.1f} ms)\n")
    print("| phase | " + " | ".join(names) + " |")
    print("|---|" + "---|" * len(names))
    for phase in [phase for phase, _, _ in PHASES] + [*SPLIT.values(), FIRST]:
        cells = [cell(results[name][0].get(phase, [])) for name in names]
        print(f"| {phase} | " + " | ".join(cells) + " |")
    for fact in results[names[0]][1]:
        cells = [f"{statistics.mean(results[name][1].get(fact, [0])):.2f}" for name in names]
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
    print(f"\n{app}, {side.label}, targets: " + "; ".join(verdicts))


def print_comparison(app, baseline, side):
    """The totals of two sides measured in turn, and the ratio of their medians."""
    print(f"\n### {app}: input → new picture, interleaved A/B, median / p95, ms\n")
    print(f"| action | {baseline.label} | {side.label} | ratio of medians |")
    print("|---|---|---|---|")
    for action in ACTIONS:
        if action.name not in side.results:
            continue
        a, b = (s.results[action.name][0]["total"] for s in (baseline, side))
        ratio = statistics.median(b) / statistics.median(a)
        print(f"| {action.name} | {cell(a)} | {cell(b)} | {ratio:.2f} |")


def open_app(page, app, url):
    """Open the explorer in ``app`` at ``url`` and wait for its first picture."""
    if app == "JupyterLab":
        open_notebook_and_run_all(page, url, APP_NOTEBOOK)
    else:
        page.goto(url)
    wait_for_explorer(page)


def run_app(browser, app, root, folder, sides, actions, repeats, raw=None):
    """Measure every action in ``app`` on every side, in turn; print the tables."""
    with contextlib.ExitStack() as stack:
        for number, side in enumerate(sides):
            side.open(stack, browser, app, root, folder / f"logs-{app}-{number}")
        for action in ACTIONS:
            if action.name not in actions:
                continue
            for k in range(WARM_UP + repeats):
                for side in sides if k % 2 else sides[::-1]:  # who goes first alternates
                    side.act(action, k, raw)
    for side in sides:
        print_table(app, side)
    if len(sides) == 2:
        print_comparison(app, *sides)


@contextlib.contextmanager
def server(app, root, env, logs, connection):
    """Run the server of ``app`` over ``root``; yield its URL; stop its process group."""
    if app == "JupyterLab":
        proc, url = servers.start_lab(root, env, logs / "jupyterlab.log", connection)
    else:
        proc, url = servers.start_voila(root / APP_NOTEBOOK, env, logs / "voila.log", connection)
    try:
        yield url
    finally:
        servers.stop_server(proc)


def export_baseline(rev, folder):
    """Write jacviz as of git revision ``rev`` into ``folder``; return the folder.

    Returns None if ``rev`` is not a revision of this repository.
    """
    folder.mkdir(parents=True)
    archive = subprocess.run(
        ["git", "-C", str(servers.REPO), "archive", rev, "jacviz"], capture_output=True, check=False
    )
    if archive.returncode:
        return None
    subprocess.run(["tar", "-x", "-C", str(folder)], input=archive.stdout, check=True)
    return folder


def make_sides(args, folder):
    """This checkout, and with ``--baseline REV`` jacviz at REV first (as REV serves it)."""
    sides = []
    if args.baseline:
        source = export_baseline(args.baseline, folder / "baseline")
        if source is None:
            sys.exit(f"--baseline {args.baseline}: not a git revision of {servers.REPO}")
        trace = KernelTrace(folder / "trace-baseline.jsonl")
        env = servers.isolated_env(folder / "home-baseline", JACVIZ_TRACE=str(trace.path))
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(source), env.get("PYTHONPATH")]))
        sides.append(Side(f"baseline {args.baseline}", env, trace, connection_of(source)))
    trace = KernelTrace(folder / "trace.jsonl")
    env = servers.isolated_env(folder / "home", JACVIZ_TRACE=str(trace.path))
    label = "this checkout, stock server" if args.stock_server else "this checkout"
    sides.append(
        Side(label, env, trace, None if args.stock_server else servers.NO_DELAY_CONNECTION)
    )
    return sides


def connection_of(source):
    """The kernel WebSocket class the jacviz in ``source`` serves with (None: Jupyter's own)."""
    for path, name in CONNECTIONS:
        if (source / path).exists():
            return name
    return None


def on_timeout(signum, frame):
    raise TimeoutError("bench_browser.py ran longer than --timeout; servers are being stopped")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--quick",
        action="store_true",
        help="5 repeats per action: a smoke run (its batch-size steps are mostly to shapes "
        "never drawn, so its medians are not the figures)",
    )
    parser.add_argument("--repeats", type=int, default=20, help="timed actions per kind")
    parser.add_argument("--apps", default="lab,voila", help="lab, voila or both (default)")
    parser.add_argument("--timeout", type=int, default=1200, help="seconds for the whole run")
    parser.add_argument("--actions", default=",".join(a.name for a in ACTIONS), help="which")
    parser.add_argument("--raw", type=Path, help="write every action's records here (JSON lines)")
    parser.add_argument(
        "--baseline",
        metavar="REV",
        help="also measure jacviz at git revision REV, action by action in turn with this one",
    )
    parser.add_argument(
        "--stock-server",
        action="store_true",
        help="serve this checkout with Jupyter's own kernel WebSocket (Nagle's algorithm on)",
    )
    args = parser.parse_args()
    repeats = 5 if args.quick else args.repeats
    apps = [{"lab": "JupyterLab", "voila": "Voila"}[name] for name in args.apps.split(",")]
    actions = args.actions.split(",")
    executable = servers.chromium_path()
    if executable is None:
        sys.exit("needs Debian's Chromium: apt-get install -y chromium")
    from playwright.sync_api import sync_playwright

    signal.signal(signal.SIGALRM, on_timeout)
    signal.alarm(args.timeout)
    with (
        tempfile.TemporaryDirectory(prefix="bench-browser-") as folder,
        contextlib.ExitStack() as files,
    ):
        folder = Path(folder)
        raw = files.enter_context(open(args.raw, "w", encoding="utf-8")) if args.raw else None
        root = servers.served_copy(folder / "served")
        sides = make_sides(args, folder)
        print(
            f"bench_browser: {repeats} actions of each kind after {WARM_UP} warm-up ones, "
            f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} at the start; "
            + "; ".join(
                f"{side.label}: {'TCP_NODELAY' if side.connection else 'stock'} server"
                for side in sides
            )
        )
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=executable, args=servers.CHROMIUM_ARGS
            )
            try:
                for app in apps:
                    run_app(browser, app, root, folder, sides, actions, repeats, raw)
            finally:
                browser.close()
        print(f"load average at the end: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
