"""The JupyterHub recipe (``deploy/jupyterhub/``) with two students, in headless Chromium.

JupyterHub (the ``hub`` extra) runs ``deploy/jupyterhub/jupyterhub_config.py``
as it is, loaded by a test config that changes only what a test needs: the
``DummyAuthenticator`` (one shared password), a local process spawner that runs
each student's server as this user with a home under the test's temp dir, and
127.0.0.1 ports for the hub, its proxy's API and each student's server. The
proxy is configurable-http-proxy, installed by ``npm ci`` in
``deploy/jupyterhub/`` (``.ci/run`` does it; without it the test skips off CI
and fails in CI).

Two students log in through the hub's login page, each in a browser context of
their own, land on their own explorer (Voila, inside their own server), and a
formula change in one explorer leaves the other's picture alone. At the end the
hub is stopped by its pid (SIGTERM: it stops the students' servers and the
proxy), then anything of it still alive is killed by pid.
"""

import contextlib
import importlib.util
import os
import secrets
import signal
import sys
import time
from pathlib import Path

import pytest
from explorer_page import image_src, status_text, type_function, wait_for_explorer, wait_for_render
from playwright.sync_api import Error as PlaywrightError
from servers import REPO, descendants, free_port, only_local, start_server, stop_server

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(300)]

RECIPE = REPO / "deploy" / "jupyterhub" / "jupyterhub_config.py"
PROXY = REPO / "deploy" / "jupyterhub" / "node_modules" / ".bin" / "configurable-http-proxy"
STUDENTS = ("ada", "emmy")
TEST_CONFIG = """
c = get_config()  # noqa: F821
load_subconfig({recipe!r})  # noqa: F821 -- the recipe as it is; below, only the test's changes

c.JupyterHub.authenticator_class = "dummy"
c.DummyAuthenticator.password = {password!r}
c.Authenticator.allowed_users = {students!r}
c.JupyterHub.spawner_class = "simple"  # each student's server runs as this user
c.SimpleLocalProcessSpawner.home_dir_template = {homes!r} + "/{{username}}"
c.JupyterHub.bind_url = "http://127.0.0.1:{port}"
c.JupyterHub.hub_bind_url = "http://127.0.0.1:{hub_port}"
c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:{api_port}"
c.ConfigurableHTTPProxy.command = [{proxy!r}]
c.JupyterHub.db_url = "sqlite:///" + {folder!r} + "/jupyterhub.sqlite"
c.JupyterHub.cookie_secret_file = {folder!r} + "/cookie_secret"
c.ConfigurableHTTPProxy.pid_file = {folder!r} + "/proxy.pid"
c.Spawner.args = c.Spawner.args + {root_args!r}
c.Spawner.start_timeout = 120
c.Spawner.http_timeout = 120

PORTS = {student_ports!r}


def student_port(spawner):
    spawner.port = PORTS[spawner.user.name]


c.Spawner.pre_spawn_hook = student_port
"""


def _need_hub():
    """Skip off CI, fail in CI, when JupyterHub or its proxy is not installed."""
    missing = []
    if importlib.util.find_spec("jupyterhub") is None:
        missing.append("JupyterHub: `pip install -e '.[hub]'`")
    if not PROXY.exists():
        missing.append(f"configurable-http-proxy: `npm ci --prefix {PROXY.parents[2]}`")
    if missing and os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"CI=true and missing: {'; '.join(missing)}", pytrace=False)
    if missing:
        pytest.skip(f"missing: {'; '.join(missing)}")


@pytest.fixture(scope="module")
def hub(server_home, tmp_path_factory):
    """Start JupyterHub on the recipe; yield (URL, password, process, pids seen); stop by pid."""
    _need_hub()
    folder = tmp_path_factory.mktemp("jupyterhub")
    homes = folder / "home"
    homes.mkdir()
    port, password = free_port(), secrets.token_urlsafe(12)
    root_args = ["--allow-root"] if os.geteuid() == 0 else []
    config = TEST_CONFIG.format(
        recipe=str(RECIPE),
        password=password,
        students=set(STUDENTS),
        homes=str(homes),
        port=port,
        hub_port=free_port(),
        api_port=free_port(),
        proxy=str(PROXY),
        folder=str(folder),
        root_args=root_args,
        student_ports={student: free_port() for student in STUDENTS},
    )
    (folder / "test_config.py").write_text(config)
    cmd = [sys.executable, "-m", "jupyterhub", "-f", str(folder / "test_config.py")]
    url = f"http://127.0.0.1:{port}"
    log_path = folder / "jupyterhub.log"
    # through the proxy, /hub/login is 404 until the hub has added its route: wait for a 200
    proc = start_server(
        cmd,
        env=server_home,
        cwd=folder,
        probe_url=f"{url}/hub/login",
        log_path=log_path,
        ok_only=True,
    )
    proc.log_path = log_path
    seen = {}
    yield url, password, proc, seen
    seen.update(descendants(proc.pid))
    stop_server(proc)
    _kill_left(seen)


def _kill_left(pids):
    """SIGKILL, by pid, whatever the hub started and is still alive after the hub stopped."""
    for pid in pids:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(pid, signal.SIGKILL)


def _log_in(browser, hub, student):
    url, password, proc, _ = hub
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(120_000)
    context.route("**/*", only_local)
    page = context.new_page()
    page.goto(f"{url}/hub/login")
    try:
        page.locator("#username_input").wait_for(timeout=60_000)
    except PlaywrightError as error:
        pytest.fail(_no_login_form(page, proc.log_path, error), pytrace=False)
    page.locator("#username_input").fill(student)
    page.locator("#password_input").fill(password)
    page.locator("#login_submit").click()
    return page


def _no_login_form(page, log_path, error):
    """Say what the browser got instead of the hub's login form, with the hub's last log lines."""
    log = Path(log_path).read_text(errors="replace").splitlines()[-40:]
    lines = [
        f"no login form at {page.url} ({error.message.splitlines()[0]})",
        f"page title: {page.title()!r}",
        "page text: " + page.inner_text("body")[:500],
        "hub log (last 40 lines):",
        *log,
    ]
    return "\n".join(lines)


def _is_singleuser(argv):
    return any(part.endswith("jupyterhub-singleuser") for part in argv)


def test_two_students_each_get_their_own_explorer(hub, browser, screenshots):
    url, _, proc, seen = hub
    pages = {student: _log_in(browser, hub, student) for student in STUDENTS}
    counts = {}
    for student, page in pages.items():
        counts[student] = wait_for_explorer(page, timeout=180_000)
        seen.update(descendants(proc.pid))
        assert page.url.startswith(f"{url}/user/{student}/voila/render/explorer_app.ipynb")
        assert "J (2, 2, 2)" in status_text(page)
        page.screenshot(path=str(screenshots / f"jupyterhub-{student}.png"))

    servers = [argv for argv in descendants(proc.pid).values() if _is_singleuser(argv)]
    assert len(servers) == len(STUDENTS), servers  # one server each, under the hub
    homes = {student: Path(proc.args[-1]).parent / "home" / student for student in STUDENTS}
    for home in homes.values():  # the recipe copied the notebooks into each home
        assert (home / "jacviz-notebooks" / "explorer_app.ipynb").exists()

    ada, emmy = (pages[student] for student in STUDENTS)
    emmy_src = image_src(emmy)
    type_function(ada, "sin(x)")
    wait_for_render(ada, counts["ada"] + 1)
    time.sleep(1)  # a picture meant for the other student would have arrived by now
    assert image_src(emmy) == emmy_src
    assert f"render #{counts['emmy']}" in status_text(emmy)
    assert image_src(ada) != emmy_src

    for page in pages.values():
        page.context.close()
