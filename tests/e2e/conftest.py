"""Fixtures for the real-browser tests: Debian's Chromium, JupyterLab and Voila.

Everything runs offline on 127.0.0.1:

* ``browser`` (from ``tests/conftest.py``, shared with the static-HTML test) is
  Debian's Chromium driven by Playwright; without it the tests skip off CI and
  fail in CI (``CI=true``).
* ``page`` is a fresh page whose requests to anything but 127.0.0.1, ``data:``,
  ``blob:`` and ``file:`` are aborted, so nothing waits on the network.
* ``lab_server`` / ``voila_server`` start one server each per test session, on a
  free port with an empty token, over a temporary copy of ``notebooks/`` and with
  every Jupyter / IPython / matplotlib directory isolated under the temp dir.
  Teardown signals the server's own process group only.

Screenshots go to ``test-output/e2e/`` (git-ignored).
"""

import contextlib
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

import pytest

REPO = Path(__file__).resolve().parents[2]
NOTEBOOKS = REPO / "notebooks"
SCREENSHOTS = REPO / "test-output" / "e2e"

ALLOWED_URL_PREFIXES = ("http://127.0.0.1", "data:", "blob:", "file:")
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
                f"{cmd[2]} exited with code {proc.returncode}:\n{Path(log_path).read_text()}"
            )
        if answers(probe_url):
            return proc
        time.sleep(0.2)
    stop_server(proc)
    pytest.fail(f"{cmd[2]} did not answer at {probe_url}:\n{Path(log_path).read_text()}")


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


@pytest.fixture(scope="session")
def served_root(tmp_path_factory):
    """Return a temporary copy of ``notebooks/`` that the servers serve."""
    root = tmp_path_factory.mktemp("served")
    if NOTEBOOKS.is_dir():
        shutil.copytree(NOTEBOOKS, root, dirs_exist_ok=True, ignore=shutil.ignore_patterns(".*"))
    return root


@pytest.fixture(scope="session")
def server_home(tmp_path_factory):
    """Return the isolated environment shared by the servers of this session."""
    return isolated_env(tmp_path_factory.mktemp("jupyter-home"))


@pytest.fixture(scope="session")
def lab_server(served_root, server_home, tmp_path_factory):
    """Yield the base URL of a JupyterLab serving ``served_root`` (empty token)."""
    port = free_port()
    cmd = [
        sys.executable,
        "-m",
        "jupyterlab",
        "--no-browser",
        "--ip=127.0.0.1",
        f"--port={port}",
        f"--ServerApp.root_dir={served_root}",
        "--IdentityProvider.token=",
        "--ServerApp.password=",
        "--ServerApp.port_retries=0",
        "--LabApp.news_url=None",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        "--LabApp.extension_manager=readonly",
        "--LabApp.expose_app_in_browser=True",
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        cmd.append("--allow-root")
    url = f"http://127.0.0.1:{port}"
    log_path = tmp_path_factory.getbasetemp() / "jupyterlab.log"
    proc = start_server(
        cmd, env=server_home, cwd=served_root, probe_url=f"{url}/api/status", log_path=log_path
    )
    yield url
    stop_server(proc)


@pytest.fixture(scope="session")
def voila_server(served_root, server_home, tmp_path_factory):
    """Yield the URL of Voila rendering ``explorer_app.ipynb`` from ``served_root``."""
    port = free_port()
    notebook = served_root / "explorer_app.ipynb"
    if not notebook.exists():
        pytest.fail(f"{notebook.name} is missing from notebooks/")
    cmd = [
        sys.executable,
        "-m",
        "voila",
        str(notebook),
        "--no-browser",
        f"--port={port}",
        "--Voila.ip=127.0.0.1",
    ]
    url = f"http://127.0.0.1:{port}"
    log_path = tmp_path_factory.getbasetemp() / "voila.log"
    proc = start_server(
        cmd, env=server_home, cwd=served_root, probe_url=f"{url}/favicon.ico", log_path=log_path
    )
    yield url
    stop_server(proc)


def _only_local(route):
    """Let requests to 127.0.0.1 and local schemes through; abort everything else."""
    if route.request.url.startswith(ALLOWED_URL_PREFIXES):
        route.continue_()
    else:
        route.abort()


@pytest.fixture
def page(browser):
    """Yield a fresh 1280×900 page that can reach nothing but 127.0.0.1."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(30_000)
    context.route("**/*", _only_local)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture(scope="session")
def screenshots():
    """Return the folder (``test-output/e2e/``) where the tests save their screenshots."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS
