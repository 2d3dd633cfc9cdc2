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

import os
import shutil
import sys
from pathlib import Path

import pytest
from servers import free_port, isolated_env, start_server, stop_server

REPO = Path(__file__).resolve().parents[2]
NOTEBOOKS = REPO / "notebooks"
SCREENSHOTS = REPO / "test-output" / "e2e"

ALLOWED_URL_PREFIXES = ("http://127.0.0.1", "data:", "blob:", "file:")


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
