"""Every hostile case of issue #11 ends, result or clear refusal, within 2 s and 500 MB.

Runs the corpus of ``tests/adversarial_corpus.py`` (formulas at the explorer's
largest batch 16 × 8 in every order and view, API calls, widget state a browser
sends, pastes, batches, constants, Python functions), each case in its own
subprocess under an address-space cap (``RLIMIT_AS``), and measures the attack's
wall time alone (the explorer is built before it; a good formula typed after it
checks that it still renders), its CPU time (user + system, all threads, the
check after it included: on a machine shared with other work the wall time
grows with the load, the CPU time far less; on an idle machine wall ≈ CPU) and
the subprocess's peak RSS (imports included). An exception that escapes the
explorer's observers or the API's documented errors, a crash or a timeout counts as escaped.

``--against DIR`` runs the same cases again with another checkout's ``jacviz``
first on the path (e.g. main before this change: ``git archive main jacviz |
tar -x -C DIR``), each capped at ``--timeout`` seconds, and prints both.

Usage::

    python benchmarks/bench_adversarial.py [--against DIR] [--timeout 60] [--cap-mb 3000]

The last line reads
``adversarial: N cases, worst X.XX s, worst Y MB, escaped exceptions 0``,
after a line giving the worst CPU time and the load average during the run.
"""

import argparse
import json
import os
import pathlib
import resource
import subprocess
import sys
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent
LIMIT_S, LIMIT_MB = 2.0, 500


def child(index, cap_mb):
    """Run case ``index`` in this process; print its measurements as JSON."""
    cap = cap_mb * 2**20
    resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    sys.path.insert(0, str(ROOT / "tests"))
    from adversarial_corpus import corpus, run_case

    case = corpus()[index]
    run_case(corpus()[0]._replace(args=("x**3", 1)))  # warm: imports, first picture
    cpu = _cpu_seconds()
    outcome = run_case(case)
    cpu = _cpu_seconds() - cpu
    seconds = outcome.seconds
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    clear = (case.expect in outcome.message) if case.expect else outcome.message == ""
    print(
        json.dumps(
            {
                "seconds": seconds,
                "cpu": cpu,
                "mb": peak,
                "escaped": outcome.escaped,
                "message": outcome.message[:160],
                "as_expected": clear and outcome.still_renders,
            }
        )
    )


def _cpu_seconds():
    """User + system CPU seconds of this process so far (every thread)."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def run(index, cap_mb, timeout, path=None):
    """Run case ``index`` in a subprocess; return its measurements (a dict)."""
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [path, str(ROOT)])))
    command = [sys.executable, __file__, "--child", str(index), "--cap-mb", str(cap_mb)]
    start = time.perf_counter()
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, env=env)
    except subprocess.TimeoutExpired:
        return {
            "seconds": timeout,
            "cpu": float("nan"),
            "mb": float("nan"),
            "escaped": f"timeout after {timeout} s",
        }
    lines = done.stdout.strip().splitlines()
    if done.returncode or not lines:
        last = (done.stderr.strip().splitlines() or ["no output"])[-1]
        elapsed = time.perf_counter() - start
        return {
            "seconds": elapsed,
            "cpu": float("nan"),
            "mb": float("nan"),
            "escaped": f"crashed: {last[:120]}",
        }
    return json.loads(lines[-1])


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--cap-mb", type=int, default=3000, help="RLIMIT_AS per case")
    parser.add_argument(
        "--timeout", type=float, default=60.0, help="seconds per subprocess (imports included)"
    )
    parser.add_argument("--against", help="another checkout's directory holding jacviz/")
    args = parser.parse_args()
    if args.child is not None:
        child(args.child, args.cap_mb)
        return
    sys.path.insert(0, str(ROOT / "tests"))
    from adversarial_corpus import corpus

    cases = corpus()
    load_before = os.getloadavg()[0]
    rows = []
    for index, case in enumerate(cases):
        now = run(index, args.cap_mb, args.timeout)
        before = run(index, args.cap_mb, args.timeout, args.against) if args.against else None
        rows.append(now)
        line = f"{case.name:42.42} {now['seconds']:6.2f} s {now['cpu']:6.2f} s CPU"
        line += f" {now['mb']:6.0f} MB"
        if before is not None:
            line += f"   main: {before['seconds']:6.2f} s {before['mb']:6.0f} MB"
            line += f" {before['escaped'] or before['message']}"[:90]
        flags = [now["escaped"]] if now["escaped"] else []
        if not now.get("as_expected", False):
            flags.append(f"unexpected: {now.get('message', '')!r}")
        if now["seconds"] > LIMIT_S or now["mb"] > LIMIT_MB:
            flags.append("OVER THE LIMIT")
        print(line + ("   " + "; ".join(flags) if flags else ""), flush=True)
    worst_s = max(row["seconds"] for row in rows)
    worst_mb = max(row["mb"] for row in rows)
    escaped = sum(bool(row["escaped"]) for row in rows)
    worst_cpu = max(row["cpu"] for row in rows)
    print(
        f"worst CPU {worst_cpu:.2f} s; load average {load_before:.1f} before the run, "
        f"{os.getloadavg()[0]:.1f} after"
    )
    print(
        f"adversarial: {len(rows)} cases, worst {worst_s:.2f} s, worst {worst_mb:.0f} MB, "
        f"escaped exceptions {escaped}"
    )


if __name__ == "__main__":
    main()
