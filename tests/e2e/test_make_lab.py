"""``make lab``, the README's first command, starts JupyterLab -- as root too.

Runs the Makefile's own ``lab`` recipe (``jacviz lab notebooks $(LAB_ARGS)``)
with ``LAB_ARGS`` keeping the server on a free 127.0.0.1 port and with every
Jupyter directory isolated, reaches the server's ``/api/status`` with the
token the server requires, then stops the process group (SIGTERM, then
SIGKILL). ``BIN`` points at this test's own Python, and ``-o`` tells make not to
reinstall the venv when ``pyproject.toml`` is newer than its stamp.

As root (CI, Docker) JupyterLab refuses to start without ``--allow-root``;
``jacviz lab`` adds it then and only then, which the test reads back from the
server's command line. Running it as an unprivileged user too is not possible
on the project's machines (their Python lives under ``/root``); there the test
covers the root path and ``tests/test_cli.py`` the decision.
"""

import json
import os
import secrets
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from servers import descendants, free_port, isolated_env, start_server, stop_server

pytestmark = [pytest.mark.slow, pytest.mark.timeout(120)]

REPO = Path(__file__).resolve().parents[2]


def _get(url):
    """Return (status, body) of a GET, errors included."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def test_make_lab_starts_jupyterlab_as_this_user(tmp_path):
    port = free_port()
    token = secrets.token_urlsafe(16)
    env = isolated_env(tmp_path / "home")
    env["JUPYTER_TOKEN"] = token  # the server must ask for it: auth stays on
    lab_args = f"--no-browser --ip=127.0.0.1 --port={port} --ServerApp.port_retries=0"
    cmd = [
        "make",
        "--no-print-directory",
        "-o",
        ".venv/.jacviz-installed",
        "lab",
        f"BIN={Path(sys.executable).parent}",
        f"LAB_ARGS={lab_args}",
    ]
    url = f"http://127.0.0.1:{port}"
    proc = start_server(
        cmd, env=env, cwd=REPO, probe_url=f"{url}/api/status", log_path=tmp_path / "lab.log"
    )
    try:
        status, body = _get(f"{url}/api/status?token={token}")
        assert status == 200
        assert "started" in json.loads(body)
        assert _get(f"{url}/api/status")[0] == 403  # no token, no answer
        (server,) = [argv for argv in descendants(proc.pid).values() if "jupyterlab" in argv]
        assert server[-1] == "01_batch_jacobian_tour.ipynb"
        assert ("--allow-root" in server) == (os.geteuid() == 0)
    finally:
        stop_server(proc)
    assert proc.returncode is not None
    assert not [argv for argv in descendants(proc.pid).values() if "jupyterlab" in argv]
