"""Fixtures for the real-browser tests: Debian's Chromium, JupyterLab and Voila.

Everything runs offline on 127.0.0.1 (the servers and pages are made by
``servers.py``, shared with ``benchmarks/bench_browser.py``):

* ``browser`` (from ``tests/conftest.py``, shared with the static-HTML test) is
  Debian's Chromium driven by Playwright; without it the tests skip off CI and
  fail in CI (``CI=true``).
* ``page`` is a fresh page whose requests to anything but 127.0.0.1, ``data:``,
  ``blob:`` and ``file:`` are aborted, so nothing waits on the network; it
  records the round trip's timestamps (``roundtrip.py``).
* ``lab_server`` / ``voila_server`` start one server each per test session, on a
  free port with an empty token, over a temporary copy of ``notebooks/`` and with
  every Jupyter / IPython / matplotlib directory isolated under the temp dir.
  Teardown signals the server's own process group only.

Screenshots go to ``test-output/e2e/`` (git-ignored).
"""

import pytest
from roundtrip import install
from servers import (
    REPO,
    ServerError,
    isolated_env,
    only_local,
    served_copy,
    start_lab,
    start_voila,
    stop_server,
)

SCREENSHOTS = REPO / "test-output" / "e2e"


@pytest.fixture(scope="session")
def served_root(tmp_path_factory):
    """Return a temporary copy of ``notebooks/`` that the servers serve."""
    return served_copy(tmp_path_factory.mktemp("served"))


@pytest.fixture(scope="session")
def server_home(tmp_path_factory):
    """Return the isolated environment shared by the servers of this session."""
    return isolated_env(tmp_path_factory.mktemp("jupyter-home"))


def _started(start, *args):
    """Start a server with ``start(*args)``; a server that fails to start fails the test."""
    try:
        return start(*args)
    except ServerError as exc:
        pytest.fail(str(exc))


@pytest.fixture(scope="session")
def lab_server(served_root, server_home, tmp_path_factory):
    """Yield the base URL of a JupyterLab serving ``served_root`` (empty token)."""
    log_path = tmp_path_factory.getbasetemp() / "jupyterlab.log"
    proc, url = _started(start_lab, served_root, server_home, log_path)
    yield url
    stop_server(proc)


@pytest.fixture(scope="session")
def voila_server(served_root, server_home, tmp_path_factory):
    """Yield the URL of Voila rendering ``explorer_app.ipynb`` from ``served_root``."""
    notebook = served_root / "explorer_app.ipynb"
    if not notebook.exists():
        pytest.fail(f"{notebook.name} is missing from notebooks/")
    log_path = tmp_path_factory.getbasetemp() / "voila.log"
    proc, url = _started(start_voila, notebook, server_home, log_path)
    yield url
    stop_server(proc)


@pytest.fixture
def page(browser):
    """Yield a fresh 1280×900 page that can reach nothing but 127.0.0.1."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(30_000)
    context.route("**/*", only_local)
    install(context)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture(scope="session")
def screenshots():
    """Return the folder (``test-output/e2e/``) where the tests save their screenshots."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS
