"""Benchmark a class: N students open ``jacviz app`` at once, each makes 20 edits, then leaves.

Plain script: ``python benchmarks/bench_classroom.py --students N [--server voila|solara]
[--clients browser|protocol] [--browsers K] [--preheat P] [--think S] [--port P]
[--log-dir DIR]``. Needs the ``app``, ``server`` (for Solara) and ``test`` extras and
Debian's Chromium (``/usr/bin/chromium``).

It starts ``jacviz app`` on 127.0.0.1 with its class defaults and
``--cull-after`` 30 s (see below): ``--server voila`` (the default: one kernel
process per page, two preheated kernels unless ``--preheat`` says otherwise) or
``--server solara`` (every page served from one Python process). Once the server
is idle it opens N students at once: N browser contexts (own cookies, own page,
own kernel) spread round-robin over ``--browsers`` headless Chromium processes
(one by default), driven by Playwright's async API. Each student

1. opens the app page; **first picture**: from ``page.goto`` until the
   explorer's heatmap ``<img>`` has loaded and the status line shows its
   ``render #N``; the kernel WebSocket's messages (frames, both ways) until then
   are counted;
2. makes 20 edits, a student's mix (formulas, entries of ``x``, the order, the
   batch size; ``EDIT_PLAN``), with a think time of ``--think`` seconds (±50 %,
   fixed seed) before each; **edit latency**: from the input until a new
   picture has loaded and the status line shows the next render;
3. closes its context: the connection drops and no unload handler runs (a
   laptop closed), so the culler has to free the kernel.

The browsers run on the server's own cores, which a real class's laptops do
not: the times are an upper bound for the server's share. ``--clients protocol``
measures that share: each student is a client without a browser
(``tests/e2e/widget_protocol.py``, tornado's HTTP and WebSocket clients, all in
this script's event loop) that fetches the page and every same-origin file one
Chromium page fetched for it (listed once, before the class, by a page that is
not a student; with Voila it takes a preheated kernel, so pass ``--preheat N+1``
to have one for each student), then speaks the widget protocol as the page's
JavaScript does: the same first picture (the status line's ``render #N`` and the
picture's PNG received), the same 20 edits (the controls' new states), the same
exit (the connection dropped). Nothing is drawn in a browser, so the times leave
out a browser's own work: rendering the page and decoding the pictures. The CPU time the app
(its whole process tree) and the browsers used during the class is printed per
student, to show which of the two the cores went to.

**RSS per student**: the resident memory of the app's whole process tree
(``jacviz app``, Voila and every kernel, or the one Solara process; not
Chromium), sampled every second; (peak − before the first student) / N, the
memory a lecturer adds per student. The total peak and its PSS (shared pages
split between the processes) are printed too. **Leaked kernels**: students'
kernels (known by the kernel id in their WebSocket's address) still alive 60 s
after the last one left: for Voila, kernel processes; for Solara, virtual
kernels its log (made verbose for ``solara.server.app`` by a ``sitecustomize``
on the server's ``PYTHONPATH``) shows connected and not shut down. The app
culls kernels idle with no page connected after ``--cull-after`` seconds (its
default, 120 s, would leave all of them alive at 60 s; the bench passes 30 s,
which fits the 60 s window, and prints it).

Every wait is bounded: 600 s for the server to become idle, 300 s for a first
picture, 30 s per edit, ``--timeout`` for the students' part (arrivals included), 60 s for the leak
check; the app is stopped by its process group at the end. The server's log goes
to ``--log-dir`` (kept) or a temporary folder (removed). The last line is exactly
(one line) ``classroom: students=N first_picture_p95=X.Xs edit_p95=X.XXs
rss_per_student=XXXMB leaked_kernels=K``.
"""

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # the kernels inherit it

import argparse
import asyncio
import contextlib
import math
import random
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "e2e"))

from explorer_page import (  # found through the path above
    BATCH_SLIDER_HANDLE,
    ENTRY_INPUTS,
    FUNCTION_INPUT,
    IMAGE,
    ORDER_BUTTONS,
    STATUS,
)
from servers import (
    CHROMIUM_ARGS,
    ServerError,
    chromium_path,
    descendants,
    free_port,
    start_server,
    stop_server,
)
from widget_protocol import FETCHES_AT_ONCE, ProtocolPage

WAIT = 30.0
LEAK_WINDOW = 60.0
EDITS = 20
CULL_AFTER = 30
START_TIMEOUT = 120.0
IDLE_TIMEOUT = 600.0
OPEN_TIMEOUT = 300.0
TICK_S = os.sysconf("SC_CLK_TCK")
KERNEL_ID = re.compile(r"/api/kernels/([0-9A-Za-z-]+)/channels")
SOLARA_CONNECTED = re.compile(r"Connect page \S+ for kernel (\S+)")
SOLARA_SHUT_DOWN = re.compile(r"Shut down virtual kernel: (\S+)")
#: Makes Solara's server log when a page connects to a virtual kernel and when one ends.
SOLARA_LOGGING = """import logging
_handler = logging.StreamHandler()
_handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(message)s"))
_log = logging.getLogger("solara.server.app")
_log.setLevel(logging.INFO)
_log.addHandler(_handler)
"""
STATE_JS = """([status, image]) => {
    const match = /render #(\\d+)/.exec(document.querySelector(status).innerText);
    return [match ? Number(match[1]) : -1, document.querySelector(image).getAttribute("src")];
}"""
PICTURE_JS = """([status, image, count, old]) => {
    const text = document.querySelector(status);
    const match = text && /render #(\\d+)/.exec(text.innerText);
    const img = document.querySelector(image);
    return Boolean(match && Number(match[1]) >= count && img && img.getAttribute("src") !== old
                   && img.complete && img.naturalWidth > 0);
}"""
# A student's 20 edits: (action, value), in this order. The batch size is a number
# field: ArrowUp / ArrowDown step it.
EDIT_PLAN = (
    ("formula", "sin(x)"),
    ("entry", (0, 1.5)),
    ("order", "2nd order"),
    ("order", "1st order"),
    ("formula", "x**2 + 1"),
    ("batch", "ArrowUp"),
    ("entry", (3, -2.0)),
    ("formula", "tanh(x) * x"),
    ("order", "2nd order"),
    ("entry", (1, 0.5)),
    ("order", "1st order"),
    ("batch", "ArrowDown"),
    ("formula", "[x[0]*x[1], x[0] + x[1]]"),
    ("entry", (0, 3.0)),
    ("order", "full Jacobian"),
    ("order", "1st order"),
    ("formula", "exp(-x**2)"),
    ("batch", "ArrowUp"),
    ("entry", (4, 0.25)),
    ("formula", "x**3"),
)
assert len(EDIT_PLAN) == EDITS


class Student:
    """One student: a browser context of its own, the page, the times it measured."""

    def __init__(self, url, rng, think):
        self.url, self.rng, self.think = url, rng, think
        self.kernel_id = None
        self.first_picture = None
        self.messages = 0  # kernel WebSocket frames, both ways, until the first picture
        self.messages_to_picture = None
        self.phases = None  # the first picture's steps (protocol students only)
        self.edits = []
        self.error = None
        self.arrives = 0.0  # seconds after the class starts (``--arrive-over``)

    async def run(self, browser):
        """Open the page, wait for the first picture, make the edits, leave."""
        context = await browser.new_context(viewport={"width": 1280, "height": 900})
        try:
            context.set_default_timeout(WAIT * 1000)
            await context.route("**/*", _only_local)
            page = await context.new_page()
            page.on("websocket", self._watch)
            start = time.perf_counter()
            await page.goto(self.url, timeout=OPEN_TIMEOUT * 1000)
            await self._picture(page, 0, None, OPEN_TIMEOUT)
            self.first_picture = time.perf_counter() - start
            self.messages_to_picture = self.messages
            for action, value in EDIT_PLAN:
                await asyncio.sleep(self.think * self.rng.uniform(0.5, 1.5))
                self.edits.append(await self._edit(page, action, value))
        finally:
            await context.close()  # the laptop goes away: no unload handler, the kernel stays

    def _watch(self, websocket):
        """Note the kernel id of the page's kernel WebSocket and count its frames."""
        match = KERNEL_ID.search(websocket.url)
        if match is None:
            return
        self.kernel_id = match.group(1)
        websocket.on("framesent", self._count)
        websocket.on("framereceived", self._count)

    def _count(self, frame):
        self.messages += 1

    async def _edit(self, page, action, value):
        """Make one edit; return seconds until the next picture is loaded and counted."""
        count, src = await page.evaluate(STATE_JS, [STATUS, IMAGE])
        start = time.perf_counter()
        if action == "formula":
            await page.locator(FUNCTION_INPUT).first.fill(value)
            await page.locator(FUNCTION_INPUT).first.press("Enter")
        elif action == "entry":
            index, number = value
            await page.locator(ENTRY_INPUTS).nth(index).fill(str(number))
            await page.locator(ENTRY_INPUTS).nth(index).press("Enter")
        elif action == "order":
            await page.locator(ORDER_BUTTONS, has_text=value).first.click()
        else:  # "batch": a key on the batch-size field
            await page.locator(BATCH_SLIDER_HANDLE).first.press(value)
        await self._picture(page, count + 1, src, WAIT)
        return time.perf_counter() - start

    @staticmethod
    async def _picture(page, count, old_src, timeout):
        """Wait until the status shows ``render #count`` or later and a new image has loaded."""
        await page.wait_for_function(
            PICTURE_JS, arg=[STATUS, IMAGE, count, old_src], timeout=timeout * 1000
        )


class ProtocolStudent(Student):
    """One student without a browser: the widget protocol (``tests/e2e/widget_protocol.py``).

    Fetches the page and the static files a browser fetched for it, then does
    what the page's JavaScript does; the same first picture, edits and exit.
    """

    def __init__(self, url, rng, think, server, static):
        super().__init__(url, rng, think)
        self.page = ProtocolPage(url, server, static)

    async def run(self, browser=None):
        """Open the page, wait for the first picture, make the edits, drop the connection."""
        try:
            start = time.perf_counter()
            await self.page.open(OPEN_TIMEOUT)
            self.first_picture = time.perf_counter() - start
            self.messages_to_picture = self.page.frames
            self.phases = self.page.phases
            for action, value in EDIT_PLAN:
                await asyncio.sleep(self.think * self.rng.uniform(0.5, 1.5))
                start = time.perf_counter()
                await self.page.edit(action, value, WAIT)
                self.edits.append(time.perf_counter() - start)
        finally:
            self.kernel_id = self.page.kernel_id  # known once connected, picture or not
            await self.page.close()


async def static_files(url):
    """Return the same-origin files one Chromium page fetches for ``url`` (its page's kernel
    aside): what each protocol student fetches too, as a browser without a cache does.
    """
    from playwright.async_api import async_playwright

    fetched = []
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=chromium_path(), args=CHROMIUM_ARGS
        )
        page = await browser.new_page()
        await page.route("**/*", _only_local)
        page.on("request", lambda request: fetched.append(request.url))
        await page.goto(url, timeout=OPEN_TIMEOUT * 1000)
        await Student._picture(page, 0, None, OPEN_TIMEOUT)
        await browser.close()
    return [
        address
        for address in dict.fromkeys(fetched)
        if address.startswith(url) and address != url and "/api/" not in address
    ]


async def _only_local(route):
    if route.request.url.startswith(("http://127.0.0.1", "data:", "blob:")):
        await route.continue_()
    else:
        await route.abort()


def _print_phases(phases):
    """Print the first picture's steps (protocol students): p50 and p95 of each's end."""
    phases = [p for p in phases if p]
    if not phases:
        return
    steps = []
    for name in phases[0]:
        ends = [p[name] for p in phases if name in p]
        steps.append(f"{name} {quantile(ends, 0.5):.2f}/{quantile(ends, 0.95):.2f}")
    print(f"  its steps, seconds from arrival (p50/p95): {', '.join(steps)}")


def start_app(server, options, port=None, log_path=None):
    """Start ``jacviz app --server SERVER --no-browser`` on 127.0.0.1; return (process, url).

    ``port``: the app's port; a free one when 0 or None. Jupyter's and IPython's
    directories go to a temporary folder (``process.home``) so nothing of the
    user's configuration changes what is measured; stdout and stderr go to
    ``log_path`` (None: ``app.log`` in that folder). For Solara the folder
    also holds the ``sitecustomize`` that makes its server log sessions
    (``SOLARA_LOGGING``).
    """
    port = port or free_port()
    home = Path(tempfile.mkdtemp(prefix="bench-classroom-"))
    env = dict(os.environ, JUPYTER_CONFIG_DIR=str(home), JUPYTER_RUNTIME_DIR=str(home))
    env["IPYTHONDIR"] = str(home)
    if server == "solara":
        (home / "sitecustomize.py").write_text(SOLARA_LOGGING, encoding="utf-8")
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(home), env.get("PYTHONPATH")]))
    command = [sys.executable, "-m", "jacviz", "app", f"--server={server}", "--no-browser"]
    url = f"http://127.0.0.1:{port}/"
    probe = f"{url}voila/static/favicon.ico" if server == "voila" else url
    try:
        process = start_server(
            [*command, f"--port={port}", *options],
            env=env,
            cwd=home,
            probe_url=probe,
            log_path=log_path or home / "app.log",
            timeout=START_TIMEOUT,
        )
    except ServerError:
        shutil.rmtree(home, ignore_errors=True)
        raise
    process.home = home
    return process, url


def stop_app(process):
    """Stop the app's process group (SIGTERM, SIGKILL after 20 s); remove its folder."""
    stop_server(process, grace=20)
    shutil.rmtree(process.home, ignore_errors=True)


def tree_memory(pid):
    """Return (RSS, PSS) in MB of ``pid`` and every process below it."""
    rss = pss = 0
    for child in [pid, *descendants(pid)]:
        with contextlib.suppress(OSError):
            for line in Path(f"/proc/{child}/smaps_rollup").read_text().splitlines():
                if line.startswith("Rss:"):
                    rss += int(line.split()[1])
                elif line.startswith("Pss:"):
                    pss += int(line.split()[1])
    return rss / 1024, pss / 1024


def cpu_seconds(pids):
    """Return {pid: user + system CPU seconds so far} of the processes still there."""
    found = {}
    for pid in pids:
        with contextlib.suppress(OSError):
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            found[pid] = (int(fields[11]) + int(fields[12])) / TICK_S
    return found


class CpuMeter:
    """The CPU seconds used by a changing set of processes since the meter started.

    Sampled now and then: a process that ends keeps what it had used at its
    last sample (up to a second's worth is lost).
    """

    def __init__(self, pids):
        self.start = cpu_seconds(pids)
        self.last = dict(self.start)

    def sample(self, pids):
        self.last.update(cpu_seconds(pids))

    def used(self):
        return sum(self.last.values()) - sum(self.start.values())


def app_pids(pid):
    return [pid, *descendants(pid)]


def client_pids(browsers):
    """The Chromium processes below this script (Playwright's driver is not one); this
    script itself when there are none (its protocol students).
    """
    if not browsers:
        return [os.getpid()]
    found = descendants(os.getpid()).items()
    return [child for child, argv in found if argv and "chrom" in argv[0].lower()]


def wait_until_idle(pid, timeout=IDLE_TIMEOUT):
    """Wait until the app's tree used under 0.3 s of CPU in 3 s (preheated kernels drawn)."""
    deadline = time.monotonic() + timeout
    time.sleep(5.0)
    while time.monotonic() < deadline:
        before = sum(cpu_seconds(app_pids(pid)).values())
        time.sleep(3.0)
        if sum(cpu_seconds(app_pids(pid)).values()) - before < 0.3:
            return True
    return False


async def run_class(url, app_pid, class_, timeout, browsers):
    """Run the students of ``class_`` at once while sampling.

    Browser students are spread over ``browsers`` Chromium processes (none for
    protocol students). Returns the students, the peak (RSS, PSS) of the app's
    process tree and the CPU seconds the app and the clients (the Chromium
    processes, or this script for protocol students) used.
    """
    from playwright.async_api import async_playwright

    peak = [0.0, 0.0]
    app_cpu, browser_cpu = CpuMeter(app_pids(app_pid)), CpuMeter(client_pids(browsers))

    def sample_once():
        rss, pss = tree_memory(app_pid)
        peak[0], peak[1] = max(peak[0], rss), max(peak[1], pss)
        app_cpu.sample(app_pids(app_pid))
        browser_cpu.sample(client_pids(browsers))

    async def sample():
        for _ in range(int(timeout) + 1):
            sample_once()
            await asyncio.sleep(1.0)

    async with async_playwright() as playwright:
        chromia = [
            await playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
            for _ in range(browsers)
        ]
        sampler = asyncio.ensure_future(sample())
        tasks = [
            asyncio.ensure_future(
                _guarded(student, chromia[index % browsers] if browsers else None)
            )
            for index, student in enumerate(class_)
        ]
        _, late = await asyncio.wait(tasks, timeout=timeout)
        for task in late:  # past --timeout: stopped, counted as failed
            task.cancel()
        await asyncio.gather(*late, return_exceptions=True)
        for student in class_:
            if student.error is None and len(student.edits) < EDITS:
                student.error = f"not done within --timeout {timeout:.0f} s"
        sampler.cancel()
        sample_once()
        for browser in chromia:
            await browser.close()
    return class_, peak, (app_cpu.used(), browser_cpu.used())


async def _guarded(student, browser):
    """Run a student; a failure is recorded on it, never raised (the others go on)."""
    try:
        await asyncio.sleep(student.arrives)
        await student.run(browser)
    except Exception as exc:
        student.error = f"{type(exc).__name__}: {str(exc).splitlines()[0]}"
    return student


def voila_kernels_alive(app_pid, log_path):
    """Return the ids of the app's live kernels (from their connection files' names)."""
    found = set()
    for argv in descendants(app_pid).values():
        if "jacviz.app.kernel" in argv:
            found.update(re.findall(r"kernel-([0-9a-f-]{36})\.json", " ".join(argv)))
    return found


def solara_kernels_alive(app_pid, log_path):
    """Return the ids of the virtual kernels Solara's log shows connected and not shut down."""
    log = Path(log_path).read_text(errors="replace")
    return set(SOLARA_CONNECTED.findall(log)) - set(SOLARA_SHUT_DOWN.findall(log))


def leaked_after_window(alive, kernel_ids):
    """Wait ``LEAK_WINDOW`` s watching the students' kernels go; return those left."""
    deadline = time.monotonic() + LEAK_WINDOW
    while time.monotonic() < deadline:
        print(f"  {deadline - time.monotonic():4.0f} s left: {len(alive() & kernel_ids)} alive")
        time.sleep(10.0)
    return alive() & kernel_ids


def quantile(values, q):
    """The ``q`` quantile of ``values``, nearest rank (a value measured; NaN when none)."""
    if not values:
        return math.nan
    return sorted(values)[max(0, math.ceil(q * len(values)) - 1)]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=5)
    parser.add_argument("--server", choices=("voila", "solara"), default="voila")
    parser.add_argument(
        "--clients",
        choices=("browser", "protocol"),
        default="browser",
        help="students in Chromium, or speaking the widget protocol (no browser)",
    )
    parser.add_argument("--browsers", type=int, default=1, help="Chromium processes (K)")
    parser.add_argument(
        "--preheat", type=int, default=None, help="Voila's preheated kernels (default: the app's)"
    )
    parser.add_argument(
        "--arrive-over",
        type=float,
        default=0.0,
        help="seconds over which the students arrive, evenly (0: all at once)",
    )
    parser.add_argument("--think", type=float, default=2.0, help="seconds between edits (±50 %%)")
    parser.add_argument("--port", type=int, default=0, help="the app's port (0: a free one)")
    parser.add_argument("--cull-after", type=int, default=CULL_AFTER)
    parser.add_argument("--timeout", type=float, default=900.0, help="bound of the students' part")
    parser.add_argument("--log-dir", type=Path, help="keep the server's log in this folder")
    args = parser.parse_args(argv)
    if args.preheat is not None and args.server == "solara":
        parser.error("--preheat is Voila's (Solara has no kernel processes to preheat)")
    if not 1 <= args.browsers <= args.students:
        parser.error("--browsers must be between 1 and --students")
    browsers = args.browsers if args.clients == "browser" else 0

    options = [f"--cull-after={args.cull_after}", f"--max-kernels={max(100, args.students + 10)}"]
    if args.preheat is not None:
        options.append(f"--preheat={args.preheat}")
    log_dir = args.log_dir or Path(tempfile.mkdtemp(prefix="bench-classroom-log-"))
    log_dir.mkdir(parents=True, exist_ok=True)
    log_path = log_dir / f"{args.server}-{args.students}-students.log"
    alive = voila_kernels_alive if args.server == "voila" else solara_kernels_alive

    print(f"machine: {os.cpu_count()} cores, load average before {_load()}")
    print(f"server: jacviz app --server {args.server} {' '.join(options)}; log {log_path}")
    process, url = start_app(args.server, options, args.port, log_path)
    try:
        idle = wait_until_idle(process.pid)
        print(f"server idle: {idle} (load average {_load()})")
        class_ = new_class(url, args, browsers)
        if not browsers:
            idle = wait_until_idle(process.pid)  # after the page that listed the static files
            print(f"server idle again: {idle} (load average {_load()})")
        idle_rss, _ = tree_memory(process.pid)
        results, (peak_rss, peak_pss), (app_cpu, browser_cpu) = asyncio.run(
            run_class(url, process.pid, class_, args.timeout, browsers)
        )
        load = _load()
        kernel_ids = {student.kernel_id for student in results if student.kernel_id}
        leaked = leaked_after_window(lambda: alive(process.pid, log_path), kernel_ids)
    finally:
        stop_app(process)
        if args.log_dir is None:
            shutil.rmtree(log_dir, ignore_errors=True)

    failed = [student.error for student in results if student.error]
    for error in sorted(set(failed)):
        print(f"  {failed.count(error)} students failed: {error}")
    # a student who never saw a picture counts as infinitely slow, not as absent
    firsts = [math.inf if s.first_picture is None else s.first_picture for s in results]
    edits = [seconds for student in results for seconds in student.edits]
    messages = [s.messages_to_picture for s in results if s.messages_to_picture is not None]
    per_student = (peak_rss - idle_rss) / args.students
    print(f"load average after the students: {load}")
    print(
        f"first picture: p50 {quantile(firsts, 0.5):.2f} s, p95 {quantile(firsts, 0.95):.2f} s, "
        f"max {max(firsts):.2f} s ({sum(map(math.isfinite, firsts))} of {args.students} students "
        "saw one)"
    )
    _print_phases([s.phases for s in results])
    print(
        f"kernel messages until the first picture: median {quantile(messages, 0.5)}, "
        f"max {max(messages, default=math.nan)} (WebSocket frames, both ways)"
    )
    print(
        f"edit: p50 {quantile(edits, 0.5):.3f} s, p95 {quantile(edits, 0.95):.3f} s, "
        f"max {max(edits, default=float('nan')):.3f} s "
        f"({len(edits)} edits, think {args.think:.1f} s ±50 %)"
    )
    print(
        f"memory: {idle_rss:.0f} MB before the class (the server idle), "
        f"peak {peak_rss:.0f} MB RSS ({peak_pss:.0f} MB PSS); "
        f"total per student {peak_rss / args.students:.0f} MB, added per student "
        f"{per_student:.0f} MB"
    )
    print(
        f"CPU during the class: app {app_cpu:.0f} s ({app_cpu / args.students:.1f} s per "
        f"student), {f'{browsers} Chromium' if browsers else 'the protocol clients'} "
        f"{browser_cpu:.0f} s "
        f"({browser_cpu / args.students:.1f} s per student)"
    )
    print(f"kernels: {len(kernel_ids)} students', culled after {args.cull_after} s idle")
    print(
        f"classroom: students={args.students} first_picture_p95={quantile(firsts, 0.95):.1f}s "
        f"edit_p95={quantile(edits, 0.95):.2f}s rss_per_student={per_student:.0f}MB "
        f"leaked_kernels={len(leaked)}"
    )
    return 1 if failed else 0


def new_class(url, args, browsers):
    """Return the ``args.students`` students: in Chromium, or protocol students fetching
    the static files one Chromium page fetched (listed here, once, before the class).
    """
    rngs = [random.Random(seed) for seed in range(args.students)]
    if browsers:
        class_ = [Student(url, rng, args.think) for rng in rngs]
    else:
        from tornado.httpclient import AsyncHTTPClient

        static = asyncio.run(static_files(url))
        print(f"clients: widget protocol, each fetching {len(static)} static files first")
        AsyncHTTPClient.configure(None, max_clients=FETCHES_AT_ONCE * args.students)
        class_ = [ProtocolStudent(url, rng, args.think, args.server, static) for rng in rngs]
    for index, student in enumerate(class_):
        student.arrives = args.arrive_over * index / args.students
    if args.arrive_over:
        print(f"arrivals: evenly over {args.arrive_over:.0f} s (first pictures timed from each)")
    return class_


def _load():
    return " ".join(f"{value:.1f}" for value in os.getloadavg())


if __name__ == "__main__":
    sys.exit(main())
