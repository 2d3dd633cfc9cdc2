"""Benchmark a class: N students open ``jacviz app`` at once, each makes 20 edits, then leaves.

Plain script: ``python benchmarks/bench_classroom.py --students N [--think S] [--port P]``.
Needs the ``app`` and ``test`` extras and Debian's Chromium (``/usr/bin/chromium``).

It starts ``jacviz app`` on 127.0.0.1 with its class defaults (two preheated
kernels, culling of idle disconnected kernels; ``--cull-after`` 30 s here, see
below) and opens N students at once: N browser contexts (own cookies, own
page, own kernel) in one headless Chromium, driven by Playwright's async API.
Each student

1. opens the app page; **first picture**: from ``page.goto`` until the
   explorer's heatmap ``<img>`` has loaded and the status line shows its
   ``render #N``;
2. makes 20 edits, a student's mix (formulas, entries of ``x``, the order, the
   batch size; ``EDIT_PLAN``), with a think time of ``--think`` seconds (±50 %,
   fixed seed) before each; **edit latency**: from the input until a new
   picture has loaded and the status line shows the next render;
3. closes its context: the connection drops and no unload handler runs (a
   laptop closed), so the culler has to free the kernel.

One Chromium for the whole class runs on the server's own cores, which a real
class's laptops do not: the times are an upper bound for the server's share.

**RSS per student**: the resident memory of the app's whole process tree
(``jacviz app``, Voila, every kernel; not Chromium), sampled every second;
(peak − before the first student) / N, the memory a lecturer adds per student.
The total peak and its PSS (shared pages split between the processes) are
printed too. **Leaked kernels**: students' kernels (known by the kernel id in
their page) still alive 60 s after the last one left. Voila keeps a closed
page's kernel; the app culls kernels idle with no page connected after
``--cull-after`` seconds (the app's default, 120 s, leaves all of them alive at
60 s; the bench passes 30 s, which fits the 60 s window, and prints it).

Every wait is bounded: 300 s for a first picture, 30 s per edit, ``--timeout``
for the students' part, 60 s for the leak check; the app is stopped by its
process group at the end. The last line is exactly (one line)
``classroom: students=N first_picture_p95=X.Xs edit_p95=X.XXs
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
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "e2e"))

from bench_app import start_app, stop_app  # found through the paths above
from explorer_page import (
    BATCH_SLIDER_HANDLE,
    ENTRY_INPUTS,
    FUNCTION_INPUT,
    IMAGE,
    ORDER_BUTTONS,
    STATUS,
)
from servers import CHROMIUM_ARGS, chromium_path, descendants

WAIT = 30.0
LEAK_WINDOW = 60.0
EDITS = 20
CULL_AFTER = 30
KERNEL_ID = re.compile(r'"kernelId":\s*"([0-9a-f-]{36})"')
OPEN_TIMEOUT = 300.0
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
# A student's 20 edits: (action, value), in this order.
EDIT_PLAN = (
    ("formula", "sin(x)"),
    ("entry", (0, 1.5)),
    ("order", "2nd order"),
    ("order", "1st order"),
    ("formula", "x**2 + 1"),
    ("batch", "ArrowRight"),
    ("entry", (3, -2.0)),
    ("formula", "tanh(x) * x"),
    ("order", "2nd order"),
    ("entry", (1, 0.5)),
    ("order", "1st order"),
    ("batch", "ArrowLeft"),
    ("formula", "[x[0]*x[1], x[0] + x[1]]"),
    ("entry", (0, 3.0)),
    ("order", "full Jacobian"),
    ("order", "1st order"),
    ("formula", "exp(-x**2)"),
    ("batch", "ArrowRight"),
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
        self.edits = []
        self.error = None

    async def run(self, browser):
        """Open the page, wait for the first picture, make the edits, leave."""
        context = await browser.new_context(viewport={"width": 1280, "height": 900})
        try:
            context.set_default_timeout(WAIT * 1000)
            await context.route("**/*", _only_local)
            page = await context.new_page()
            start = time.perf_counter()
            response = await page.goto(self.url, timeout=OPEN_TIMEOUT * 1000)
            self.kernel_id = KERNEL_ID.search(await response.text()).group(1)
            await self._picture(page, 0, None, OPEN_TIMEOUT)
            self.first_picture = time.perf_counter() - start
            for action, value in EDIT_PLAN:
                await asyncio.sleep(self.think * self.rng.uniform(0.5, 1.5))
                self.edits.append(await self._edit(page, action, value))
        finally:
            await context.close()  # the laptop goes away: no unload handler, the kernel stays

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
        else:  # "batch": a key on the batch-size slider
            await page.locator(BATCH_SLIDER_HANDLE).first.press(value)
        await self._picture(page, count + 1, src, WAIT)
        return time.perf_counter() - start

    @staticmethod
    async def _picture(page, count, old_src, timeout):
        """Wait until the status shows ``render #count`` or later and a new image has loaded."""
        await page.wait_for_function(
            PICTURE_JS, arg=[STATUS, IMAGE, count, old_src], timeout=timeout * 1000
        )


async def _only_local(route):
    if route.request.url.startswith(("http://127.0.0.1", "data:", "blob:")):
        await route.continue_()
    else:
        await route.abort()


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


def kernel_ids_alive(pid):
    """Return the ids of the app's live kernels (from their connection files' names)."""
    found = set()
    for argv in descendants(pid).values():
        if "jacviz.app.kernel" in argv:
            found.update(re.findall(r"kernel-([0-9a-f-]{36})\.json", " ".join(argv)))
    return found


async def run_class(url, app_pid, students, think, timeout):
    """Run ``students`` at once in one Chromium while sampling memory.

    Returns the students and the peak (RSS, PSS) of the app's process tree.
    """
    from playwright.async_api import async_playwright

    class_ = [Student(url, random.Random(seed), think) for seed in range(students)]
    peak = [0.0, 0.0]

    async def sample():
        for _ in range(int(timeout) + 1):
            rss, pss = tree_memory(app_pid)
            peak[0], peak[1] = max(peak[0], rss), max(peak[1], pss)
            await asyncio.sleep(1.0)

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=chromium_path(), args=CHROMIUM_ARGS
        )
        sampler = asyncio.ensure_future(sample())
        tasks = [asyncio.ensure_future(_guarded(student, browser)) for student in class_]
        _, late = await asyncio.wait(tasks, timeout=timeout)
        for task in late:  # past --timeout: stopped, counted as failed
            task.cancel()
        await asyncio.gather(*late, return_exceptions=True)
        for student in class_:
            if student.error is None and len(student.edits) < EDITS:
                student.error = f"not done within --timeout {timeout:.0f} s"
        sampler.cancel()
        await browser.close()
    return class_, peak


async def _guarded(student, browser):
    """Run a student; a failure is recorded on it, never raised (the others go on)."""
    try:
        await student.run(browser)
    except Exception as exc:
        student.error = f"{type(exc).__name__}: {exc}"
    return student


def leaked_after_window(app_pid, kernel_ids):
    """Wait ``LEAK_WINDOW`` s watching the students' kernels go; return those left."""
    deadline = time.monotonic() + LEAK_WINDOW
    alive = kernel_ids_alive(app_pid) & kernel_ids
    while time.monotonic() < deadline:
        alive = kernel_ids_alive(app_pid) & kernel_ids
        print(f"  {deadline - time.monotonic():4.0f} s left: {len(alive)} student kernels alive")
        time.sleep(10.0)
    return kernel_ids_alive(app_pid) & kernel_ids


def quantile(values, q):
    """The ``q`` quantile of ``values``, nearest rank (a value measured; NaN when none)."""
    if not values:
        return math.nan
    return sorted(values)[max(0, math.ceil(q * len(values)) - 1)]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=5)
    parser.add_argument("--think", type=float, default=2.0, help="seconds between edits (±50 %%)")
    parser.add_argument("--port", type=int, default=0, help="the app's port (0: a free one)")
    parser.add_argument("--cull-after", type=int, default=CULL_AFTER)
    parser.add_argument("--timeout", type=float, default=900.0, help="bound of the students' part")
    args = parser.parse_args(argv)

    print(f"machine: {os.cpu_count()} cores, load average before {_load()}")
    process, url = start_app(f"--cull-after={args.cull_after}", port=args.port or None)
    try:
        time.sleep(15.0)  # the preheated kernels start and draw the explorer
        idle_rss, _ = tree_memory(process.pid)
        results, (peak_rss, peak_pss) = asyncio.run(
            run_class(url, process.pid, args.students, args.think, args.timeout)
        )
        load = _load()
        kernel_ids = {student.kernel_id for student in results if student.kernel_id}
        leaked = leaked_after_window(process.pid, kernel_ids)
    finally:
        stop_app(process)

    failed = [student.error for student in results if student.error]
    for error in sorted(set(failed)):
        print(f"  {failed.count(error)} students failed: {error}")
    # a student who never saw a picture counts as infinitely slow, not as absent
    firsts = [math.inf if s.first_picture is None else s.first_picture for s in results]
    edits = [seconds for student in results for seconds in student.edits]
    per_student = (peak_rss - idle_rss) / args.students
    print(f"load average after the students: {load}")
    print(
        f"first picture: p50 {quantile(firsts, 0.5):.2f} s, p95 {quantile(firsts, 0.95):.2f} s, "
        f"max {max(firsts):.2f} s ({sum(map(math.isfinite, firsts))} of {args.students} students "
        "saw one)"
    )
    print(
        f"edit: p50 {quantile(edits, 0.5):.3f} s, p95 {quantile(edits, 0.95):.3f} s, "
        f"max {max(edits, default=float('nan')):.3f} s "
        f"({len(edits)} edits, think {args.think:.1f} s ±50 %)"
    )
    print(
        f"memory: {idle_rss:.0f} MB before the class (app, Voila, preheated kernels), "
        f"peak {peak_rss:.0f} MB RSS ({peak_pss:.0f} MB PSS); "
        f"total per student {peak_rss / args.students:.0f} MB, added per student "
        f"{per_student:.0f} MB"
    )
    print(f"kernels: {len(kernel_ids)} students', culled after {args.cull_after} s idle")
    print(
        f"classroom: students={args.students} first_picture_p95={quantile(firsts, 0.95):.1f}s "
        f"edit_p95={quantile(edits, 0.95):.2f}s rss_per_student={per_student:.0f}MB "
        f"leaked_kernels={len(leaked)}"
    )
    return 1 if failed else 0


def _load():
    return " ".join(f"{value:.1f}" for value in os.getloadavg())


if __name__ == "__main__":
    sys.exit(main())
