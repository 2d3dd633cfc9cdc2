"""Benchmark the class server (``jacviz app --server solara``): memory and time per student.

Plain script: ``python benchmarks/bench_class_server.py [--students 30 100 200]``.
Needs the ``server`` extra. Prints, for each N, in a fresh process of its own:

* **RSS per student**: the server process's resident memory after N sessions,
  minus after one warm-up session, over N - 1. Each session is made the way
  Solara makes one when a page connects (a virtual kernel context with its own
  widget registry, the app's ``Page`` rendered into it) and then used like a
  student: a new formula, batch sizes 3 and 4, the Hessian, back to order 1, a
  formula error. No browser and no WebSocket: their buffers are not counted
  (kernel messages go nowhere), nor the thread Solara gives each open page.
* **first picture** and **edit** times (median, p95) of those actions, one
  session at a time, and again with 8 threads driving different sessions at
  once (Solara handles each page's messages on a thread of its own).
* **CPU per edit** (user + system seconds of the process over the edits).
* **a heavy request beside light ones**: one session asks for the heaviest
  pictures the explorer allows (B = 16, n = 8, ``outer(x, x)``: its Hessian
  and its full Jacobian in turn, each a new view, 0.15-0.7 s) over and over
  while 4 threads time light edits in other sessions; their p95 next to the
  p95 without the heavy session, in the same run.

Baselines in the same run: the same sessions with the explorer's default view
cache (up to 32 MB of kept views per explorer) instead of the class server's
(the view on screen only, and one pool of idle views for all sessions); and
what one Voila kernel holds: a fresh process that imports ipykernel and jacviz
and draws one explorer (the floor of a kernel per student; a running kernel
holds more).

``--mix N`` measures instead a class's mix in process: N sessions opening at
random over 60 s, each then making the load test's kind of edits (formulas,
order 1 / 2 / full, batch sizes 2 and 3) 5 s ± 50 % apart, in time order, one at
a time. It prints the CPU per edit and per first picture, the edits' median and
p95, the process's RSS, its objects and the garbage collector's full
collections, for the class server's sessions (no view kept between pictures:
each borrows one from the one pool of the process) against two baselines, each
in a fresh process: each session keeping the view on screen and dropping the
others into the pool (the setting before), and each keeping 4 MB of views of its
own with no pool (the setting before the pool); and the ratios.

BLAS runs single-threaded (``OPENBLAS_NUM_THREADS=1`` unless set).
"""

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import argparse
import gc
import heapq
import json
import random
import resource
import statistics
import subprocess
import sys
import threading
import time
import uuid

THREADS = 8
HEAVY = "outer(x, x)"  # with B = 16, n = 8: Hessians (16, 8, 8, 8, 8), full (16, 8, 8, 16, 8)
KERNEL_FLOOR = """
import resource, ipykernel.ipkernel, jacviz
e = jacviz.JacobianExplorer()
e.function = "sin(x)"
print(int(open('/proc/self/statm').read().split()[1]) * resource.getpagesize())
"""


def rss():
    """Resident memory of this process, bytes."""
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * resource.getpagesize()


def cpu():
    """User + system CPU seconds of this process so far."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def p95(values):
    return statistics.quantiles(values, n=20)[-1] if len(values) > 1 else values[0]


def ms(values):
    return f"median {1e3 * statistics.median(values):6.1f} ms, p95 {1e3 * p95(values):6.1f} ms"


class Sessions:
    """Solara virtual kernels made as on a page connect, each with the app's page rendered."""

    def __init__(self):
        from jacviz.app import solara_environment

        os.environ.update(solara_environment(120))
        import solara.server.app as appmodule
        from solara.server import kernel_context

        appmodule.ensure_apps_initialized()
        self.app, self.contexts = appmodule, kernel_context

    def open(self):
        """Make one session and render its page; return (context, explorer, seconds)."""
        import ipyvuetify
        import ipywidgets
        from solara.server.kernel import Kernel

        from jacviz import JacobianExplorer

        kernel_id = str(uuid.uuid4())
        context = self.contexts.VirtualKernelContext(
            id=kernel_id,
            session_id=kernel_id,
            kernel=Kernel(),
            control_sockets=[],
            widgets={},
            templates={},
        )
        self.contexts.contexts[kernel_id] = context
        start = time.perf_counter()
        with context:
            ipywidgets.register_comm_target(context.kernel)
            self.app.register_solara_comm_target(context.kernel)
            context.container = ipyvuetify.Html(tag="div")
            self.app.load_app_widget(None, self.app.apps["__default__"], "")
            (explorer,) = [w for w in context.widgets.values() if isinstance(w, JacobianExplorer)]
        return context, explorer, time.perf_counter() - start


def act(context, explorer, action):
    """Do one student action in the session; return its duration (s)."""
    start = time.perf_counter()
    with context:
        name, value = action
        if name == "batch":
            explorer.batch_size_slider.value = value
        else:
            setattr(explorer, name, value)
    return time.perf_counter() - start


STUDENT = [
    ("function", "sin(x) * x"),
    ("batch", 3),
    ("batch", 4),
    ("order", 2),
    ("order", 1),
    ("function", "x ** ("),  # a formula error: shown, the last picture kept
    ("function", "x**3"),
]


def one_run(n, view_cache):
    """Measure N students in this process; return a dict of numbers."""
    sessions = Sessions()
    from jacviz.classroom._session import new_explorer

    if view_cache == "default":  # the explorer's own view cache (up to 32 MB), as in Voila
        import jacviz.classroom._page as page

        def explorer_with_default_cache():
            return new_explorer(view_cache={})

        page.new_explorer = explorer_with_default_cache
    warm = sessions.open()
    for action in STUDENT:
        act(warm[0], warm[1], action)
    base = rss()
    opened, first = [], []
    for _ in range(n - 1):
        context, explorer, seconds = sessions.open()
        opened.append((context, explorer))
        first.append(seconds)
    cpu0, edits = cpu(), []
    for context, explorer in opened:
        edits += [act(context, explorer, action) for action in STUDENT]
    cpu_per_edit = (cpu() - cpu0) / len(edits)
    per_student = (rss() - base) / (n - 1)
    concurrent = _concurrent_edits(opened)
    light, loaded, heavy = _heavy_beside_light(sessions, opened)
    return {
        "n": n,
        "view_cache": view_cache,
        "rss_per_student_mb": per_student / 2**20,
        "rss_total_mb": rss() / 2**20,
        "first": first,
        "edits": edits,
        "cpu_per_edit": cpu_per_edit,
        "concurrent": concurrent,
        "light": light,
        "light_beside_heavy": loaded,
        "heavy": heavy,
    }


def _concurrent_edits(opened):
    """Time edits with THREADS threads each driving its own sessions at once."""
    times, lock = [], threading.Lock()

    def drive(part):
        for context, explorer in part:
            for value in ("cos(x) * x", "x**3"):
                seconds = act(context, explorer, ("function", value))
                with lock:
                    times.append(seconds)

    threads = [threading.Thread(target=drive, args=(opened[i::THREADS],)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return times


def _heavy_beside_light(sessions, opened, seconds=6.0):
    """Light edits' times alone, then with one session drawing the heaviest picture meanwhile."""
    light_sessions = opened[:4]

    def light_edits(out):
        def drive(context, explorer):
            deadline, r = time.perf_counter() + seconds, 0
            while time.perf_counter() < deadline:
                r += 1
                out.append(act(context, explorer, ("function", f"x**3 + {r}")))

        threads = [threading.Thread(target=drive, args=pair) for pair in light_sessions]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

    alone, beside = [], []
    light_edits(alone)
    context, explorer, _ = sessions.open()
    act(context, explorer, ("batch", 16))
    with context:
        explorer.input_dim_slider.value = 8
        explorer.function = HEAVY
    stop, heavy = threading.Event(), []

    def heavy_loop():
        r = 0
        while not stop.is_set():
            r += 1
            heavy.append(act(context, explorer, ("order", 2 if r % 2 else "full")))

    worker = threading.Thread(target=heavy_loop)
    worker.start()
    light_edits(beside)
    stop.set()
    worker.join()
    return alone, beside, heavy


#: The mix's edits, in order: (action, value) as :func:`act` takes them.
MIX_PLAN = (
    ("function", "sin(x)"),
    ("order", 2),
    ("order", 1),
    ("function", "x**2 + 1"),
    ("batch", 3),
    ("function", "tanh(x) * x"),
    ("order", 2),
    ("order", 1),
    ("batch", 2),
    ("function", "[x[0]*x[1], x[0] + x[1]]"),
    ("order", "full"),
    ("order", 1),
    ("function", "exp(-x**2)"),
    ("batch", 3),
    ("function", "x**3"),
)
#: The settings ``--mix`` compares: the class server's (None: views borrowed from the
#: shared pool per picture), the one before (each session keeps the view on screen, drops
#: the others into the pool) and the baseline before any pool (4 MB of views of its own).
MIX_SETTINGS = {
    "class server": None,
    "view on screen kept": {"cached_views": 1, "cache_bytes": 0},
    "own views": {"cached_views": 1, "cache_bytes": 4 * 2**20},
}


class Collector:
    """Count the garbage collector's full (oldest-generation) collections and their seconds."""

    def __init__(self):
        self.full, self.seconds, self._start = 0, 0.0, None
        gc.callbacks.append(self._note)

    def _note(self, phase, info):
        if info["generation"] != 2:
            return
        if phase == "start":
            self._start = time.perf_counter()
        else:
            self.full += 1
            self.seconds += time.perf_counter() - self._start


def mix_run(n, setting, arrive_over=60.0, think=5.0):
    """Play N students' mix in time order in this process; return a dict of numbers."""
    from jacviz.classroom import _page
    from jacviz.classroom._session import class_pool, new_explorer

    view_cache = MIX_SETTINGS[setting]
    if view_cache is not None:
        if "own" not in setting:
            view_cache = {**view_cache, "pool": class_pool()}

        def explorer_of_setting():
            return new_explorer(view_cache=view_cache)

        _page.new_explorer = explorer_of_setting
    sessions, rng, collector = Sessions(), random.Random(1), Collector()
    events = [(rng.uniform(0.0, arrive_over), k, -1) for k in range(n)]
    heapq.heapify(events)
    opened, edits, cpu_open, cpu_edit = {}, [], 0.0, 0.0
    while events:
        when, k, step = heapq.heappop(events)
        start = cpu()
        if step < 0:
            opened[k] = sessions.open()[:2]
            cpu_open += cpu() - start
        else:
            edits.append(act(*opened[k], MIX_PLAN[step]))
            cpu_edit += cpu() - start
        if step + 1 < len(MIX_PLAN):
            heapq.heappush(events, (when + think * rng.uniform(0.5, 1.5), k, step + 1))
    return {
        "setting": setting,
        "cpu_per_edit": cpu_edit / len(edits),
        "cpu_per_open": cpu_open / n,
        "edits": edits,
        "rss_mb": rss() / 2**20,
        "objects": len(gc.get_objects()),
        "full_collections": [collector.full, collector.seconds],
        "pool": repr(class_pool()) if "own" not in setting else "no pool",
    }


def mix(n):
    """Run the mix for each of :data:`MIX_SETTINGS`; print each and its ratios to the first."""
    results = {}
    for setting in MIX_SETTINGS:
        out = subprocess.run(
            [sys.executable, __file__, "--mix-one", str(n), setting],
            capture_output=True,
            text=True,
            check=True,
        )
        r = results[setting] = json.loads(out.stdout.splitlines()[-1])
        full, seconds = r["full_collections"]
        print(f"{n} students' mix, {setting}:")
        print(
            f"  CPU per edit {1e3 * r['cpu_per_edit']:.1f} ms, per first picture "
            f"{1e3 * r['cpu_per_open']:.0f} ms; edits {ms(r['edits'])}; RSS {r['rss_mb']:.0f} MB"
        )
        print(
            f"  {r['objects'] / 1e6:.2f} million objects; {full} full collections, "
            f"{seconds:.2f} s; {r['pool']}"
        )
    new = results["class server"]
    for setting, old in list(results.items())[1:]:
        ratios = {key: new[key] / old[key] for key in ("cpu_per_edit", "cpu_per_open", "rss_mb")}
        print(
            f"class server / {setting}: CPU per edit x{ratios['cpu_per_edit']:.2f}, "
            f"per first picture x{ratios['cpu_per_open']:.2f}, RSS x{ratios['rss_mb']:.2f}"
        )


def kernel_floor():
    """RSS of a fresh process importing ipykernel and jacviz with one explorer drawn, bytes."""
    out = subprocess.run([sys.executable, "-c", KERNEL_FLOOR], capture_output=True, text=True)
    return int(out.stdout.split()[-1])


def report(r):
    print(f"N = {r['n']} students, view cache {r['view_cache']}:")
    print(
        f"  RSS per student {r['rss_per_student_mb']:5.1f} MB "
        f"(process {r['rss_total_mb']:.0f} MB); CPU per edit {1e3 * r['cpu_per_edit']:.1f} ms"
    )
    print(f"  first picture (one at a time):   {ms(r['first'])}")
    print(f"  edits (one at a time):           {ms(r['edits'])}")
    print(f"  edits ({THREADS} sessions at once):     {ms(r['concurrent'])}")
    ratio = p95(r["light_beside_heavy"]) / p95(r["light"])
    print(f"  light edits, 4 at once:          {ms(r['light'])}")
    print(f"  ... beside a heavy session:      {ms(r['light_beside_heavy'])} (p95 x{ratio:.1f})")
    if "heavy" in r:
        print(f"  the heavy requests meanwhile:    {ms(r['heavy'])} (B=16, n=8, {HEAVY})")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--students", type=int, nargs="+", default=[30, 100, 200])
    parser.add_argument("--one", nargs=2, metavar=("N", "CACHE"), help=argparse.SUPPRESS)
    parser.add_argument("--mix", type=int, metavar="N", help="a class's mix of N students")
    parser.add_argument("--mix-one", nargs=2, metavar=("N", "SETTING"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(one_run(int(args.one[0]), args.one[1])))
        return
    if args.mix_one:
        print(json.dumps(mix_run(int(args.mix_one[0]), args.mix_one[1])))
        return
    if args.mix:
        mix(args.mix)
        return
    floor = kernel_floor()
    print(f"one Voila-style kernel (ipykernel + jacviz + one explorer): {floor / 2**20:.0f} MB")
    runs = [(n, "server") for n in args.students] + [(min(args.students), "default")]
    for n, cache in runs:
        out = subprocess.run(
            [sys.executable, __file__, "--one", str(n), cache],
            capture_output=True,
            text=True,
            check=True,
        )
        result = json.loads(out.stdout.splitlines()[-1])
        report(result)
        print(f"  vs one kernel per student: x{floor / 2**20 / result['rss_per_student_mb']:.0f}")


if __name__ == "__main__":
    main()
