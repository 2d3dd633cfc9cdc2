"""JupyterLab, Voila and Chromium on 127.0.0.1, for the browser tests and the browser benchmark.

No pytest here: ``tests/e2e/conftest.py`` wraps these in fixtures, and
``benchmarks/bench_browser.py`` calls them directly. Every server runs in its
own process group (free ports, every Jupyter, IPython and matplotlib directory
isolated); :func:`stop_server` signals that group only (SIGTERM, then SIGKILL
if it lingers). Chromium is Debian's, driven by Playwright for Python.
"""

import contextlib
import itertools
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from jacviz.app import NO_DELAY_CONNECTION

REPO = Path(__file__).resolve().parents[2]
NOTEBOOKS = REPO / "notebooks"
SERVER_START_TIMEOUT = 60.0
_PORT_CURSOR = itertools.count()  # where free_port looks next in $JACVIZ_TEST_PORTS
ALLOWED_URL_PREFIXES = ("http://127.0.0.1", "data:", "blob:", "file:")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


class ServerError(RuntimeError):
    """A server exited or did not answer in time; the message holds its log."""


def chromium_path():
    """Return the path of Debian's Chromium, or None when it is not installed."""
    path = shutil.which("chromium") or "/usr/bin/chromium"
    return path if Path(path).exists() else None


def only_local(route):
    """Let requests to 127.0.0.1 and local schemes through; abort everything else."""
    if route.request.url.startswith(ALLOWED_URL_PREFIXES):
        route.continue_()
    else:
        route.abort()


def free_port():
    """Return a TCP port on 127.0.0.1 that nobody listens on right now.

    The system picks one, unless ``$JACVIZ_TEST_PORTS`` (e.g. ``9500-9599``)
    names a range to take them from, in turn (a machine shared by several people).
    """
    span = os.environ.get("JACVIZ_TEST_PORTS")
    if not span:
        return _bound_port(0)
    first, last = (int(part) for part in span.split("-"))
    for _ in range(last - first + 1):
        with contextlib.suppress(OSError):
            return _bound_port(first + next(_PORT_CURSOR) % (last - first + 1))
    raise ServerError(f"no free port in $JACVIZ_TEST_PORTS={span}")


def _bound_port(port):
    """Bind ``port`` (0: any) on 127.0.0.1, release it, return its number."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", port))
        return sock.getsockname()[1]


def answers(url, *, ok_only=False):
    """Return True if an HTTP server answers at ``url`` (any status code, or only 2xx)."""
    try:
        with urllib.request.urlopen(url, timeout=2):
            return True
    except urllib.error.HTTPError:
        return not ok_only
    except (urllib.error.URLError, OSError):
        return False


def served_copy(root):
    """Copy ``notebooks/`` into the folder ``root`` (the servers serve the copy); return it."""
    shutil.copytree(NOTEBOOKS, root, dirs_exist_ok=True, ignore=shutil.ignore_patterns(".*"))
    return root


def isolated_env(home, **extra):
    """Return an environment whose Jupyter, IPython and matplotlib dirs live in ``home``.

    ``extra`` variables are added (the benchmark's ``JACVIZ_TRACE``).
    """
    env = dict(os.environ, **extra)
    dirs = {
        "JUPYTER_CONFIG_DIR": "config",
        "JUPYTER_DATA_DIR": "data",
        "JUPYTER_RUNTIME_DIR": "runtime",
        "JUPYTERLAB_SETTINGS_DIR": "lab-settings",
        "JUPYTERLAB_WORKSPACES_DIR": "lab-workspaces",
        "IPYTHONDIR": "ipython",
        "MPLCONFIGDIR": "matplotlib",
    }
    for name, sub in dirs.items():
        path = home / sub
        path.mkdir(parents=True, exist_ok=True)
        env[name] = str(path)
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    env.pop("JUPYTER_PREFER_ENV_PATH", None)
    quiet = home / "lab-settings" / "@jupyterlab" / "apputils-extension"
    quiet.mkdir(parents=True, exist_ok=True)
    settings = {"fetchNews": "false", "checkForUpdates": False}
    (quiet / "notification.jupyterlab-settings").write_text(json.dumps(settings))
    return env


def lab_command(port, root, connection=NO_DELAY_CONNECTION):
    """Return the command of a JupyterLab on 127.0.0.1:``port`` serving ``root``, no token.

    ``connection``: the kernel WebSocket's class, by default the one ``jacviz lab``
    passes (kernel messages without Nagle's wait); None, Jupyter's own.
    """
    cmd = [
        sys.executable,
        "-m",
        "jupyterlab",
        "--no-browser",
        "--ip=127.0.0.1",
        f"--port={port}",
        f"--ServerApp.root_dir={root}",
        "--IdentityProvider.token=",
        "--ServerApp.password=",
        "--ServerApp.port_retries=0",
        "--LabApp.news_url=None",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        "--LabApp.extension_manager=readonly",
        "--LabApp.expose_app_in_browser=True",
    ]
    if connection:
        cmd.append(f"--ServerApp.kernel_websocket_connection_class={connection}")
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        cmd.append("--allow-root")  # CI runs as root: without it the server exits at once
    return cmd


def voila_command(port, notebook, connection=NO_DELAY_CONNECTION):
    """Return the command of Voila on 127.0.0.1:``port`` rendering ``notebook``.

    ``connection``: the kernel WebSocket's class, as for :func:`lab_command`
    (``jacviz app`` passes the same).
    """
    cmd = [
        sys.executable,
        "-m",
        "voila",
        str(notebook),
        "--no-browser",
        f"--port={port}",
        "--Voila.ip=127.0.0.1",
    ]
    if connection:
        cmd.append(f"--Voila.kernel_websocket_connection_class={connection}")
    return cmd


def start_server(
    cmd, *, env, cwd, probe_url, log_path, timeout=SERVER_START_TIMEOUT, ok_only=False
):
    """Start ``cmd`` in its own process group and wait until ``probe_url`` answers.

    With ``ok_only`` only a 2xx answer counts: a proxy in front of the server
    answers 404 before its route to the server is added.

    Raises
    ------
    ServerError
        If the server exits or does not answer within ``timeout`` seconds (it
        is stopped first).
    """
    log = open(log_path, "wb")  # noqa: SIM115 -- closed by stop_server
    proc = subprocess.Popen(
        cmd, env=env, cwd=cwd, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )
    proc.log = log
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            stop_server(proc)
            raise ServerError(
                f"{_name(cmd)} exited with code {proc.returncode}:\n{Path(log_path).read_text()}"
            )
        if answers(probe_url, ok_only=ok_only):
            return proc
        time.sleep(0.2)
    stop_server(proc)
    raise ServerError(f"{_name(cmd)} did not answer at {probe_url}:\n{Path(log_path).read_text()}")


def stop_server(proc, grace=10.0):
    """SIGTERM the server's own process group, then SIGKILL it if it lingers.

    ``grace``: the seconds it has to end after SIGTERM (a server with a hundred
    kernels to shut down needs more than the default).
    """
    for sig, wait in ((signal.SIGTERM, grace), (signal.SIGKILL, 5)):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, sig)
        try:
            proc.wait(timeout=wait)
            break
        except subprocess.TimeoutExpired:
            continue
    proc.log.close()


def start_lab(root, env, log_path, connection=NO_DELAY_CONNECTION):
    """Start JupyterLab serving ``root``; return ``(process, base URL)``."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    cmd = lab_command(port, root, connection)
    proc = start_server(cmd, env=env, cwd=root, probe_url=f"{url}/api/status", log_path=log_path)
    return proc, url


def start_voila(notebook, env, log_path, connection=NO_DELAY_CONNECTION):
    """Start Voila rendering ``notebook``; return ``(process, URL)``.

    Voila has no ``/api/status``: any HTTP answer means it is up.
    """
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    cmd = voila_command(port, notebook, connection)
    root = notebook.parent
    proc = start_server(cmd, env=env, cwd=root, probe_url=f"{url}/favicon.ico", log_path=log_path)
    return proc, url


def _name(cmd):
    """A short name for a server command in failure messages."""
    return " ".join(str(part) for part in cmd[:4])


def processes():
    """Yield (pid, parent pid, command line) of every process this user can see."""
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError):
            fields = stat.read_text().rsplit(")", 1)[1].split()
            argv = (stat.parent / "cmdline").read_bytes().split(b"\0")
            yield int(stat.parent.name), int(fields[1]), [part.decode() for part in argv if part]


def descendants(pid):
    """Return {pid: command line} of every process below ``pid``."""
    table = list(processes())
    found, frontier = {}, {pid}
    while frontier:
        children = {child: argv for child, parent, argv in table if parent in frontier}
        found.update(children)
        frontier = set(children) - {pid}
    return found
