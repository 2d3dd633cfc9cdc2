"""``jacviz app`` served to a class, in headless Chromium: token, culling, cap, memory.

Each server is the real command (``python -m jacviz app ...``) on a free
127.0.0.1 port, with a token, a URL prefix, one kernel at most and culling
after 5 s, so the tests can watch kernels come and go; the kernels are found
as the server's child processes (``python -m jacviz.app.kernel``).

The token is tested on loopback (``--token`` given): the project's machines may
reach no address but loopback, so a server bound to another address of this
machine is never started here; ``tests/test_app.py`` covers which addresses
need a token and that one is then made and printed.
"""

import asyncio
import re
import secrets
import sys
import time
import urllib.error
import urllib.request
import uuid

import pytest
from ci import run_alone
from explorer_page import (
    image_src,
    status_text,
    type_function,
    wait_for_explorer,
    wait_for_new_image,
    wait_for_render,
)
from servers import descendants, free_port, start_server, stop_server
from tornado.websocket import websocket_connect
from widget_protocol import ProtocolPage, open_when_admitted

from jacviz.app.websocket import REFUSED

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(240)]

CULL_AFTER = 5
MEMORY_LIMIT_MB = 1536
FULL = re.compile("The class is full")


class App:
    """A running ``jacviz app``: its URL, token, process and log."""

    def __init__(self, proc, url, token, log_path):
        self.proc, self.url, self.token, self.log_path = proc, url, token, log_path

    @property
    def page_url(self):
        return f"{self.url}?token={self.token}"

    def kernels(self):
        """Return {pid: argv} of the app's live kernels."""
        found = descendants(self.proc.pid).items()
        return {pid: argv for pid, argv in found if "jacviz.app.kernel" in argv}

    def wait_for_kernels(self, count, timeout=60.0):
        """Wait until exactly ``count`` kernels are alive; return them."""
        deadline = time.monotonic() + timeout
        while len(kernels := self.kernels()) != count:
            assert time.monotonic() < deadline, f"{len(kernels)} kernels, not {count}"
            time.sleep(0.25)
        return kernels

    def log(self):
        return self.log_path.read_text(errors="replace")


def _start_app(server_home, tmp_path_factory, name, *options):
    port = free_port()
    token = secrets.token_urlsafe(16)
    cmd = [
        sys.executable,
        "-m",
        "jacviz",
        "app",
        "--no-browser",
        f"--port={port}",
        f"--token={token}",
        "--base-url=/class/",
        f"--cull-after={CULL_AFTER}",
        f"--memory-limit={MEMORY_LIMIT_MB}",
        *options,
    ]
    home = tmp_path_factory.mktemp(name)
    log_path = home / "app.log"
    url = f"http://127.0.0.1:{port}/class/"
    proc = start_server(cmd, env=server_home, cwd=home, probe_url=f"{url}login", log_path=log_path)
    return App(proc, url, token, log_path)


@pytest.fixture(scope="module")
def class_app(server_home, tmp_path_factory):
    """``jacviz app`` with a token, at most one kernel, culling after 5 s, no preheating."""
    app = _start_app(server_home, tmp_path_factory, "class-app", "--max-kernels=1", "--preheat=0")
    yield app
    stop_server(app.proc)


@pytest.fixture(scope="module")
def preheated_app(server_home, tmp_path_factory):
    """The same with one preheated kernel and at most two kernels in all."""
    app = _start_app(server_home, tmp_path_factory, "preheated", "--max-kernels=2", "--preheat=1")
    app.wait_for_kernels(1)  # the pool's
    yield app
    stop_server(app.proc)


@pytest.fixture
def new_page(browser):
    """Open pages in contexts of their own (one student each); close what is left."""
    contexts = []

    def open_page():
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        context.set_default_timeout(60_000)
        context.route("**/*", _only_local)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


def _only_local(route):
    if route.request.url.startswith(("http://127.0.0.1", "data:", "blob:")):
        route.continue_()
    else:
        route.abort()


def _get(url):
    """Return (status, final URL, body) of a GET that follows redirects."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.url, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.url, error.read().decode()


def _come_back(page, tries=20):
    """Reload a 'class is full' page once a second until the explorer is there (bounded).

    The kernel's process ends a moment before the server has finished shutting it
    down, and only then is its place free.
    """
    for _ in range(tries):
        page.reload()
        if not FULL.search(page.locator("body").inner_text()):
            return wait_for_explorer(page)
        time.sleep(1)
    pytest.fail(f"still full after {tries} tries")


def _leave(page):
    """A student's laptop goes away: the connection drops, no page-unload handler runs."""
    page.context.close()


def test_without_the_token_there_is_no_explorer(class_app, new_page):
    class_app.wait_for_kernels(0)
    status, final_url, body = _get(class_app.url)
    assert status == 200
    assert final_url.startswith(f"{class_app.url}login")
    assert "jacviz" not in body
    assert _get(f"{class_app.url}?token=wrong-token-here")[1].startswith(f"{class_app.url}login")
    assert _get(f"{class_app.url}api/kernels/{uuid.uuid4()}")[0] == 403
    assert class_app.kernels() == {}  # nothing started for a visitor without the token

    # a student who was told the token types it into the login page
    page = new_page()
    page.goto(class_app.url)
    page.locator("#password_input").fill(class_app.token)
    page.locator("#password_input").press("Enter")
    wait_for_explorer(page)
    assert page.url.startswith(class_app.url)
    assert "J (2, 2, 2)" in status_text(page)
    assert len(class_app.kernels()) == 1
    _leave(page)


def test_a_kernel_is_culled_after_its_page_is_gone_not_before(class_app, new_page):
    class_app.wait_for_kernels(0)
    page = new_page()
    page.goto(class_app.page_url)
    count = wait_for_explorer(page)
    (kernel,) = class_app.kernels()

    time.sleep(2 * CULL_AFTER)  # connected and idle: kept
    assert list(class_app.kernels()) == [kernel]
    src = image_src(page)
    type_function(page, "sin(x)")
    wait_for_render(page, count + 1)
    wait_for_new_image(page, src)

    _leave(page)
    class_app.wait_for_kernels(0, timeout=10 * CULL_AFTER)
    assert re.search(r"Culling 'idle' kernel .* with 0 connections", class_app.log())


def test_a_page_gets_all_its_widgets_in_one_reply_not_one_message_each(class_app, new_page):
    """The page asks for every widget's state on the control comm, answered at once.

    Without that comm target in the kernel the page falls back to one
    ``request_state`` per widget: 485 WebSocket frames until the first picture
    instead of 18 (measured, ``bench_classroom.py --students 1``); a class of
    thirty such pages starting at once saw no picture at all.
    """
    class_app.wait_for_kernels(0)
    sent, received = [], []

    def watch(websocket):
        if "/channels" in websocket.url:
            websocket.on("framesent", lambda payload: sent.append(payload))
            websocket.on("framereceived", lambda payload: received.append(payload))

    page = new_page()
    page.on("websocket", watch)
    page.goto(class_app.page_url)
    wait_for_explorer(page)
    assert any('"update_states"' in _text(frame) for frame in received)
    assert not any('"request_state"' in _text(frame) for frame in sent)
    assert len(sent) + len(received) < 60, (len(sent), len(received))
    _leave(page)


def _text(frame):
    """A WebSocket frame's payload as text (binary frames decoded, bad bytes replaced)."""
    return frame if isinstance(frame, str) else frame.decode("utf-8", errors="replace")


def test_past_the_cap_the_page_says_the_class_is_full(class_app, new_page):
    class_app.wait_for_kernels(0)
    first = new_page()
    first.goto(class_app.page_url)
    wait_for_explorer(first)

    second = new_page()
    response = second.goto(class_app.page_url)
    assert response.status == 503
    assert FULL.search(second.locator("body").inner_text())
    assert "try again in a minute" in second.locator("body").inner_text()
    assert len(class_app.kernels()) == 1

    _leave(first)
    class_app.wait_for_kernels(0, timeout=10 * CULL_AFTER)
    _come_back(second)


def test_each_kernel_has_the_memory_limit(class_app, new_page):
    class_app.wait_for_kernels(0)
    page = new_page()
    page.goto(class_app.page_url)
    wait_for_explorer(page)
    ((pid, argv),) = class_app.kernels().items()
    assert argv[argv.index("--memory-limit") + 1] == str(MEMORY_LIMIT_MB)
    with open(f"/proc/{pid}/limits") as limits:
        (line,) = [line for line in limits if line.startswith("Max address space")]
    assert int(line.split()[3]) == MEMORY_LIMIT_MB * 2**20
    _leave(page)


def test_preheated_kernels_serve_first_and_count_toward_the_cap(preheated_app, new_page):
    first = new_page()
    first.goto(preheated_app.page_url)
    wait_for_explorer(first)
    assert "Using pre-heated kernel" in preheated_app.log()
    second = new_page()
    second.goto(preheated_app.page_url)
    wait_for_explorer(second)
    preheated_app.wait_for_kernels(2)  # the two students'; the pool's refill was refused

    third = new_page()
    third.goto(preheated_app.page_url)
    assert FULL.search(third.locator("body").inner_text())

    _leave(first)
    preheated_app.wait_for_kernels(1, timeout=10 * CULL_AFTER)
    _come_back(third)
    assert "J (2, 2, 2)" in status_text(third)


def test_a_client_without_the_v1_protocol_is_closed_and_the_class_goes_on(preheated_app):
    """Voila loops on older-protocol frames; the app closes such a client at once."""
    page = ProtocolPage(preheated_app.url, "voila", token=preheated_app.token)

    async def scenario():
        await open_when_admitted(page)
        count, picture = page.widgets.render_count(), page.widgets.picture()
        address = preheated_app.url.replace("http", "ws", 1)
        legacy = await websocket_connect(  # no subprotocol: what a script gets by default
            f"{address}api/kernels/{page.kernel_id}/channels"
            f"?session_id={uuid.uuid4()}&token={preheated_app.token}"
        )
        assert await asyncio.wait_for(legacy.read_message(), 10) is None  # closed
        assert (legacy.close_code, legacy.close_reason) == REFUSED
        await page.edit("formula", "sin(x)", 30)  # the server still answers the class
        await page.edit("order", "2nd order", 30)
        assert page.widgets.render_count() == count + 2
        assert page.widgets.picture().startswith(b"\x89PNG") and page.widgets.picture() != picture
        await page.close()

    run_alone(scenario(), timeout=300)
    assert "without the v1.kernel.websocket.jupyter.org protocol: closed" in preheated_app.log()
