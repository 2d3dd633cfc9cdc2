"""``jacviz app --server solara``: many students, one Python process, in headless Chromium.

The server is the real command (``python -m jacviz app --server solara ...``) on a
127.0.0.1 port, with a token, a URL prefix, at most two sessions and culling 5 s
after a page is gone. Two students are two browser contexts (separate cookies,
separate pages) side by side; what one does must never show up for the other.
"""

import re
import secrets
import sys
import time
import urllib.error
import urllib.request

import pytest
from ci import run_alone
from explorer_page import (
    ERROR,
    image_src,
    render_count,
    status_text,
    type_function,
    wait_for_explorer,
    wait_for_new_image,
    wait_for_render,
    wait_for_status,
)
from servers import descendants, free_port, only_local, start_server, stop_server
from widget_protocol import ProtocolPage, open_when_admitted

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(300)]

CULL_AFTER = 5
FULL = re.compile("The class is full")
#: A student's edits through the widget protocol: (action, value), see ``widget_protocol``.
EDITS = (("formula", "sin(x)"), ("order", "2nd order"), ("entry", (0, 1.5)), ("batch", "ArrowUp"))


@pytest.fixture(scope="module")
def class_server(server_home, tmp_path_factory):
    """Yield (process, URL, token) of ``jacviz app --server solara``, at most two sessions."""
    port, token = free_port(), secrets.token_urlsafe(16)
    cmd = [sys.executable, "-m", "jacviz", "app", "--server=solara", "--no-browser"]
    cmd += [f"--port={port}", f"--token={token}", "--base-url=/class/"]
    cmd += [f"--cull-after={CULL_AFTER}", "--max-kernels=2"]
    home = tmp_path_factory.mktemp("class-server")
    url = f"http://127.0.0.1:{port}/class/"
    proc = start_server(cmd, env=server_home, cwd=home, probe_url=url, log_path=home / "log")
    yield proc, url, token
    stop_server(proc)


@pytest.fixture
def student(browser, class_server):
    """Open the class page for a new student (a browser context of their own)."""
    contexts = []

    def open_page():
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        context.set_default_timeout(60_000)
        context.route("**/*", only_local)
        contexts.append(context)
        page = context.new_page()
        _, url, token = class_server
        response = page.goto(f"{url}?token={token}")
        return page, response

    yield open_page
    for context in contexts:
        context.close()


def _get(url):
    """Return (status, body) of a GET."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def _error_text(page):
    return page.locator(ERROR).first.inner_text()


def test_one_process_serves_everyone_and_without_the_token_nothing(class_server):
    proc, url, token = class_server
    status, body = _get(url)
    assert status == 403
    assert "token" in body and "jacviz explorer" not in body
    assert _get(f"{url}?token=wrong-token-here")[0] == 403
    status, body = _get(f"{url}?token={token}")
    assert status == 200 and "<title>jacviz explorer</title>" in body
    servers = [argv for argv in descendants(proc.pid).values() if "python" in argv[0]]
    assert len(servers) == 1 and servers[0][1:3] == ["-m", "jacviz.classroom"], servers


def test_two_students_side_by_side_never_see_each_others_work(student):
    (alice, _), (bob, _) = student(), student()
    alice_count, bob_count = wait_for_explorer(alice), wait_for_explorer(bob)
    bob_src, bob_status = image_src(bob), status_text(bob)

    alice_src = image_src(alice)
    type_function(alice, "sin(x)")
    wait_for_render(alice, alice_count + 1)
    assert wait_for_new_image(alice, alice_src) != alice_src
    time.sleep(1)  # anything leaking to Bob would have arrived by now
    assert (image_src(bob), status_text(bob), render_count(bob)) == (bob_src, bob_status, bob_count)

    type_function(alice, "x ** (")  # a formula error in Alice's explorer
    alice.locator(ERROR).first.filter(has_text=re.compile(r"\S")).wait_for()
    assert "last good state" in wait_for_status(alice, "out of date")

    type_function(bob, "x**2")  # Bob carries on as if nothing happened
    wait_for_render(bob, bob_count + 1)
    assert wait_for_new_image(bob, bob_src) != bob_src
    assert _error_text(bob).strip() == ""
    assert "out of date" not in status_text(bob)
    assert _error_text(alice).strip() != ""  # and Alice's error is still hers

    # both at once: the server draws the two pictures on two threads at the same time
    alice_count, bob_count = render_count(alice), render_count(bob)
    type_function(alice, "tanh(x)")
    type_function(bob, "exp(x)")
    wait_for_render(alice, alice_count + 1)
    wait_for_render(bob, bob_count + 1)
    assert "J (2, 2, 2)" in status_text(alice) and "J (2, 2, 2)" in status_text(bob)
    assert _error_text(alice).strip() == "" and _error_text(bob).strip() == ""
    assert image_src(alice) != image_src(bob)


def test_past_the_cap_the_page_says_the_class_is_full_until_a_place_is_free(student):
    pages = [student() for _ in range(3)]
    statuses = [response.status for _, response in pages]
    assert 503 in statuses, statuses  # two sessions at most (some may be a test's before)
    full_page = pages[statuses.index(503)][0]
    assert FULL.search(full_page.locator("body").inner_text())
    for page, response in pages:
        if response.status == 200:
            page.context.close()  # those students leave: their places free after culling
    for _ in range(6 * CULL_AFTER):
        if full_page.reload().status == 200:
            break
        time.sleep(1)
    wait_for_explorer(full_page)


def test_the_server_outlives_its_students(class_server):
    proc, url, token = class_server
    assert proc.poll() is None  # pages closed mid-session, errors, the cap: still serving
    assert _get(f"{url}?token={token}")[0] in (200, 503)


def test_a_student_without_a_browser_gets_each_edit_s_picture(class_server):
    """The class load test's protocol client (``widget_protocol``) against the real server."""
    _, url, token = class_server
    page = ProtocolPage(url, "solara", token=token)

    async def scenario():
        await open_when_admitted(page)
        count, pictures = page.widgets.render_count(), [page.widgets.picture()]
        for action, value in EDITS:
            await page.edit(action, value, 30)
            pictures.append(page.widgets.picture())
        status = page.widgets.states[page.widgets.hooked("jacviz-status")]["value"]
        await page.close()
        return count, pictures, status

    count, pictures, status = run_alone(scenario(), timeout=300)
    assert page.widgets.render_count() == count + len(EDITS)
    assert all(picture.startswith(b"\x89PNG") for picture in pictures)
    assert len(set(pictures)) == len(pictures)  # each edit drew a new one
    assert "H (3, 2, 2, 2)" in status  # sin(x) on B = 3 examples of n = 2, second order
