"""Starting and stopping local servers for the tests: free ports, isolated Jupyter dirs.

Every server runs on 127.0.0.1 in its own process group; :func:`stop_server`
signals that group only (SIGTERM, then SIGKILL if it lingers).
"""

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

SERVER_START_TIMEOUT = 60.0


def free_port():
    """Return a TCP port on 127.0.0.1 that nobody listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def answers(url):
    """Return True if an HTTP server answers at ``url`` (any status code)."""
    try:
        with urllib.request.urlopen(url, timeout=2):
            return True
    except urllib.error.HTTPError:
        return True
    except (urllib.error.URLError, OSError):
        return False


def isolated_env(home):
    """Return an environment whose Jupyter, IPython and matplotlib dirs live in ``home``."""
    env = dict(os.environ)
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


def start_server(cmd, *, env, cwd, probe_url, log_path):
    """Start ``cmd`` in its own process group and wait until ``probe_url`` answers."""
    log = open(log_path, "wb")  # noqa: SIM115 -- closed by stop_server
    proc = subprocess.Popen(
        cmd, env=env, cwd=cwd, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )
    proc.log = log
    deadline = time.monotonic() + SERVER_START_TIMEOUT
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            stop_server(proc)
            pytest.fail(
                f"{_name(cmd)} exited with code {proc.returncode}:\n{Path(log_path).read_text()}"
            )
        if answers(probe_url):
            return proc
        time.sleep(0.2)
    stop_server(proc)
    pytest.fail(f"{_name(cmd)} did not answer at {probe_url}:\n{Path(log_path).read_text()}")


def stop_server(proc):
    """SIGTERM the server's own process group, then SIGKILL it if it lingers."""
    for sig, grace in ((signal.SIGTERM, 10), (signal.SIGKILL, 5)):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, sig)
        try:
            proc.wait(timeout=grace)
            break
        except subprocess.TimeoutExpired:
            continue
    proc.log.close()


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
