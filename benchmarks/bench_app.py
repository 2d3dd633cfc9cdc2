"""Benchmark ``jacviz app``: time to the first picture, preheated kernels or not.

Plain script: ``python benchmarks/bench_app.py [--rounds N]``. Needs the ``app``
and ``test`` extras and Debian's Chromium (``/usr/bin/chromium``).

Two ``jacviz app`` servers run side by side on free 127.0.0.1 ports, one with
``--preheat 0`` (Voila starts a kernel and runs the notebook when the page is
asked for) and one with ``--preheat 2`` (two kernels wait with the explorer
already drawn). Each round opens the app once on each server, in a new browser
context, alternating which goes first, and times ``page.goto`` until the
explorer's heatmap ``<img>`` has loaded. Between loads the page is closed and the
pool gets 6 s to refill; closed pages' kernels are culled after 30 s (Voila keeps
a kernel after its page is gone), so a few at most linger during a load.
Prints the medians and the ratio preheated / not, measured in the same run.

It starts and stops the servers with ``bench_classroom.py``'s ``start_app`` and
``stop_app``.
"""

import argparse
import statistics
import time

# This script's folder is on the path; importing bench_classroom puts tests/e2e there too
# (for servers) and sets OPENBLAS_NUM_THREADS=1 for the apps' kernels, as in the load test.
from bench_classroom import start_app, stop_app
from servers import CHROMIUM_ARGS, chromium_path, only_local

IMAGE_LOADED_JS = """() => {
    const img = document.querySelector("img.jacviz-image, .jacviz-image img");
    return Boolean(img && img.src && img.complete && img.naturalWidth > 0);
}"""
POOL_WARM_UP = 20.0
REFILL_PAUSE = 6.0


def first_picture_seconds(browser, url):
    """Open ``url`` in a new context; return the seconds until the heatmap has loaded."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.route("**/*", only_local)
    page = context.new_page()
    start = time.perf_counter()
    page.goto(url)
    page.wait_for_function(IMAGE_LOADED_JS, timeout=120_000)
    seconds = time.perf_counter() - start
    page.close(run_before_unload=True)
    context.close()
    return seconds


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=6)
    rounds = parser.parse_args(argv).rounds

    from playwright.sync_api import sync_playwright

    cull = "--cull-after=30"
    servers = {
        "cold": start_app("voila", ["--preheat=0", cull]),
        "preheated": start_app("voila", ["--preheat=2", cull]),
    }
    times = {name: [] for name in servers}
    try:
        time.sleep(POOL_WARM_UP)  # the pool's two kernels start and draw the explorer
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=chromium_path(), args=CHROMIUM_ARGS
            )
            for index in range(rounds):
                order = list(servers) if index % 2 == 0 else list(reversed(servers))
                for name in order:
                    times[name].append(first_picture_seconds(browser, servers[name][1]))
                    time.sleep(REFILL_PAUSE)
            browser.close()
    finally:
        for process, _ in servers.values():
            stop_app(process)

    for name, values in times.items():
        shown = ", ".join(f"{value:.2f}" for value in values)
        print(f"first picture, {name:9}: median {statistics.median(values):.2f} s ({shown})")
    ratio = statistics.median(times["preheated"]) / statistics.median(times["cold"])
    print(
        f"app first picture: cold={statistics.median(times['cold']):.2f}s "
        f"preheated={statistics.median(times['preheated']):.2f}s ratio={ratio:.2f}"
    )


if __name__ == "__main__":
    main()
