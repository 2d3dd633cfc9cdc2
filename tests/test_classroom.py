"""The class server (``jacviz app --server solara``) without a browser.

What reaches the server process (command, environment, Solara's settings), the
token gate and the class cap as plain ASGI, one explorer per session with the lean
view cache, and explorers drawing at once on threads, as Solara runs them (one
thread per open page): jacviz's process-wide caches (glyph faces, the fast-path
switch, matplotlib's fonts) must give each the picture it draws alone. The real
server in Chromium: ``tests/e2e/test_class_server.py``.
"""

import subprocess
import sys
import threading
from importlib.util import find_spec

import numpy as np
import pytest
from ci import run_alone

from jacviz import JacobianExplorer, app
from jacviz.app import _serve
from jacviz.classroom import COOKIE, TokenGate
from jacviz.classroom._cap import ClassCap
from jacviz.classroom._session import SESSION_VIEW_CACHE, class_pool, new_explorer
from jacviz.plotting import ViewPool
from jacviz.plotting._fast import _glyphs

TOKEN = "s3cret-token"


class FakeServer:
    """Stands in for subprocess.Popen: records the command and environment."""

    def __init__(self):
        self.command = self.env = None

    def __call__(self, command, *, cwd, env):
        self.command, self.env = command, env
        return self

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        return False

    def wait(self):
        return 0


@pytest.fixture
def fake_run(monkeypatch):
    """Replace the server process; Solara counts as installed (the lowest column lacks it)."""
    server = FakeServer()
    monkeypatch.setattr(_serve.subprocess, "Popen", server)
    real_find_spec = app._extras.importlib.util.find_spec

    def find_spec(name, *args):
        return real_find_spec("json") if name == "solara" else real_find_spec(name, *args)

    monkeypatch.setattr(app._extras.importlib.util, "find_spec", find_spec)
    return server


def _option(command, name):
    return command[command.index(name) + 1]


def test_server_solara_starts_one_class_server_process_with_the_options(fake_run, capsys):
    argv = ["--server", "solara", "--ip", "0.0.0.0", "--port", "9000", "--base-url", "class"]
    more = ["--max-kernels", "200", "--cull-after", "60", "--function", "sin(x)"]
    assert app.main([*argv, *more]) == 0
    command = fake_run.command
    assert command[:3] == [sys.executable, "-m", "jacviz.classroom"]
    assert [_option(command, name) for name in ("--ip", "--port", "--base-url")] == [
        "0.0.0.0",
        "9000",
        "/class/",
    ]
    assert _option(command, "--max-sessions") == "200"
    assert _option(command, "--cull-after") == "60"
    token = fake_run.env[app.TOKEN_ENV]  # off loopback: a new token, not on the command line
    assert len(token) >= 16 and token not in " ".join(command)
    assert fake_run.env[app.FUNCTION_ENV] == "sin(x)"
    assert f":9000/class/?token={token}" in capsys.readouterr().err


def test_on_loopback_no_token_and_none_inherited(fake_run, monkeypatch):
    monkeypatch.setenv(app.TOKEN_ENV, "left-over-token")
    app.main(["--server", "solara"])
    assert app.TOKEN_ENV not in fake_run.env
    assert app.FUNCTION_ENV not in fake_run.env


def test_without_solara_the_message_names_the_server_extra(fake_run, monkeypatch):
    real_find_spec = app._extras.importlib.util.find_spec

    def find_spec(name, *args):
        return None if name == "solara" else real_find_spec(name, *args)

    monkeypatch.setattr(app._extras.importlib.util, "find_spec", find_spec)
    with pytest.raises(SystemExit) as info:
        app.main(["--server", "solara"])
    assert 'pip install "jacviz[server]"' in str(info.value.code)
    assert fake_run.command is None


def test_an_unknown_server_is_refused(fake_run, capsys):
    with pytest.raises(SystemExit):
        app.main(["--server", "tornado"])
    assert "invalid choice: 'tornado'" in capsys.readouterr().err
    assert fake_run.command is None


def test_solara_is_told_no_telemetry_local_assets_and_the_cull_timeout():
    env = app.solara_environment(0, {"SOLARA_SESSION_SECRET_KEY": "kept"})
    assert env["SOLARA_TELEMETRY_MIXPANEL_ENABLE"] == "False"
    assert env["SOLARA_ASSETS_PROXY"] == "True"
    assert env["SOLARA_KERNEL_CULL_TIMEOUT"] == "3650d"  # 0: never
    assert env["SOLARA_SESSION_SECRET_KEY"] == "kept"
    assert app.solara_environment(7, {})["SOLARA_KERNEL_CULL_TIMEOUT"] == "7s"
    secrets = {app.solara_environment(7, {})["SOLARA_SESSION_SECRET_KEY"] for _ in range(2)}
    assert len(secrets) == 2  # a new cookie-signing key per server, never Solara's default


# --- the token gate and the cap, as plain ASGI ------------------------------------------


class Recorder:
    """An ASGI app that answers 200 "ok" and remembers that it was called."""

    def __init__(self):
        self.called = 0

    async def __call__(self, scope, receive, send):
        self.called += 1
        if scope["type"] == "http":
            await send({"type": "http.response.start", "status": 200, "headers": []})
            await send({"type": "http.response.body", "body": b"ok"})


def _request(app_, *, path="/", query=b"", cookie=None, kind="http", root_path=""):
    """Send one request through ``app_``; return the messages it sent."""
    headers = [] if cookie is None else [(b"cookie", cookie.encode())]
    scope = {"type": kind, "path": path, "root_path": root_path, "method": "GET"}
    scope.update(query_string=query, headers=headers)
    sent = []

    async def receive():
        return {"type": "http.request"}

    async def send(message):
        sent.append(message)

    run_alone(app_(scope, receive, send))
    return sent


def test_the_token_in_the_address_lets_in_and_sets_the_cookie():
    inner = Recorder()
    start, body = _request(TokenGate(inner, TOKEN), query=f"token={TOKEN}".encode())
    assert start["status"] == 200 and body["body"] == b"ok"
    (cookie,) = [value for name, value in start["headers"] if name == b"set-cookie"]
    assert cookie.startswith(f"{COOKIE}={TOKEN};".encode()) and b"HttpOnly" in cookie
    assert _request(TokenGate(inner, TOKEN), cookie=f"{COOKIE}={TOKEN}")[0]["status"] == 200
    assert inner.called == 2


@pytest.mark.parametrize(
    "query, cookie",
    [
        (b"", None),
        (b"token=wrong-token", None),
        (f"token={TOKEN}x".encode(), None),
        (b"", f"{COOKIE}=wrong-token"),
        (b"", f"other={TOKEN}"),
        (b"token=", f"{COOKIE}="),
    ],
)
def test_without_the_token_nothing_reaches_solara(query, cookie):
    inner = Recorder()
    start, body = _request(TokenGate(inner, TOKEN), query=query, cookie=cookie)
    assert start["status"] == 403 and b"token" in body["body"]
    (closed,) = _request(TokenGate(inner, TOKEN), query=query, cookie=cookie, kind="websocket")
    assert closed == {"type": "websocket.close", "code": 1008}
    assert inner.called == 0


def test_without_a_token_the_gate_lets_everything_through():
    inner = Recorder()
    start, _ = _request(TokenGate(inner, None))
    assert start["status"] == 200 and not [n for n, _ in start["headers"] if n == b"set-cookie"]


def test_a_full_class_refuses_new_pages_only():
    inner, live = Recorder(), [2]
    cap = ClassCap(inner, 2, live=lambda: live[0])
    start, body = _request(cap, path="/class/", root_path="/class")
    assert start["status"] == 503 and b"The class is full" in body["body"]
    assert (b"retry-after", b"60") in start["headers"]
    assert _request(cap, path="/class/static/main.js", root_path="/class")[0]["status"] == 200
    _request(cap, kind="websocket")  # a page already served keeps its connection
    live[0] = 1
    assert _request(cap, path="/class/", root_path="/class")[0]["status"] == 200
    assert inner.called == 3


# --- one explorer per session, drawing at once on threads -------------------------------


def test_each_session_gets_its_own_explorer_and_borrows_a_view_only_while_drawing():
    pool = class_pool()
    pool.clear()
    hits, misses = pool.hits, pool.misses
    first, second = new_explorer("sin(x)"), new_explorer()
    assert first is not second and first.function == "sin(x)" and second.function == "x**3"
    assert SESSION_VIEW_CACHE == {"cached_views": 0, "cache_bytes": 0}
    assert (pool.misses - misses, pool.hits - hits, len(pool)) == (1, 1, 1)  # one view, in turn
    second.batch_size_slider.value = 3  # no B = 3 view idle: built, then lent back
    first.batch_size_slider.value = 3  # takes it
    assert first._pictures.heatmap_grid.redrawn != ["all"]
    assert (pool.misses - misses, len(pool)) == (2, 2)
    assert not first._pictures.heatmap_grid._views and not second._pictures.heatmap_grid._views
    alone = JacobianExplorer("x**3", second.x, view_cache={})  # no pool: built afresh
    assert second.image.value == alone.image.value
    assert first.image.value == JacobianExplorer("sin(x)", first.x).image.value
    np.testing.assert_array_equal(  # the figure behind first's picture: borrowed again
        first.figure.axes[0].images[0].get_array(), first.result[0]
    )
    assert len(pool) == 1
    first.close()  # a page gone: the view it borrowed waits for the next student
    assert len(pool) == 2 and first.figure is None


STUDENTS = [
    ("x**3", [("function", "sin(x) * x"), ("order", 2), ("batch", 3)]),
    ("tanh(x)", [("batch", 4), ("function", "exp(-x) * 12.5"), ("order", "full")]),
    ("x * 1000.5", [("order", 2), ("function", "x ** ("), ("function", "cos(x)")]),
    ("sum(x) * x", [("batch", 5), ("order", 1), ("function", "log(1 + x**2)")]),
]


def _student(function, actions, pictures, barrier=None, pool=None):
    """Build an explorer, then do ``actions``; append each picture's PNG to ``pictures``.

    With ``pool``, the explorer keeps only the view on screen and shares the pool.
    """
    view_cache = None if pool is None else {**SESSION_VIEW_CACHE, "pool": pool}
    explorer = JacobianExplorer(function, [[4, 2], [1, 3]], view_cache=view_cache)
    if barrier is not None:
        barrier.wait()
    for name, value in actions * 3:
        if name == "batch":
            explorer.batch_size_slider.value = value
        else:
            setattr(explorer, name, value)
        pictures.append((explorer.error, explorer.image.value))
        if name == "batch":
            explorer.batch_size_slider.value = 2


def test_explorers_sharing_a_pool_drawing_at_once_on_threads_draw_what_they_draw_alone():
    """Views change hands between threads (the same shapes): each picture stays its own."""
    pool = ViewPool()
    alone = []
    for function, actions in STUDENTS:
        alone.append([])
        _student(function, actions, alone[-1])
    together = [[] for _ in STUDENTS]
    _glyphs._interned.cache_clear()  # new faces, empty glyph caches: the threads rasterise
    barrier = threading.Barrier(len(STUDENTS))
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-5)  # switch threads every few bytecodes: races show up
    try:
        threads = [
            threading.Thread(target=_student, args=(function, actions, out, barrier, pool))
            for (function, actions), out in zip(STUDENTS, together, strict=True)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        sys.setswitchinterval(interval)
    assert [len(p) for p in together] == [len(p) for p in alone] == [9] * len(STUDENTS)
    for mine, reference in zip(together, alone, strict=True):
        assert [error for error, _ in mine] == [error for error, _ in reference]
        assert [png for _, png in mine] == [png for _, png in reference]
    assert any(error for error, _ in together[2])  # the formula error stayed in its explorer
    assert not any(error for student in (0, 1, 3) for error, _ in together[student])
    assert pool.hits >= len(STUDENTS)  # the batch toggles took views others had given


def test_the_class_server_module_starts_without_a_display_and_says_its_options():
    out = subprocess.run(
        [sys.executable, "-m", "jacviz.classroom", "--help"], capture_output=True, text=True
    )
    assert out.returncode == 0 and "--max-sessions" in out.stdout


#: Tests of Solara's own classes; each runs in a fresh interpreter, where Solara patches
#: matplotlib and IPython as in the class server.
NEEDS_SOLARA = pytest.mark.skipif(
    find_spec("solara") is None,
    reason="Solara (the server extra) is left out of the lowest column, as in conftest.py; "
    "the newest column runs this",
)


def _printed_by(script):
    """Run ``script`` in a fresh interpreter; return its output's lines (it must succeed)."""
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.split("\n")


SCOPED_THEN_SHARED = """
import matplotlib
import solara.server.app  # Solara's patches, as in the class server
from solara.server import patch
from jacviz.plotting._rc import share_rcparams

before = dict(matplotlib.rcParams)
patch.patch_matplotlib()  # what Solara does once its app has imported matplotlib
print(type(matplotlib.rcParams).__name__)
print(share_rcparams(), type(matplotlib.rcParams) is matplotlib.RcParams)
print(dict(matplotlib.rcParams) == before, share_rcparams())
"""


@NEEDS_SOLARA
def test_the_class_server_gives_matplotlib_back_one_rcparams():
    """Solara scopes rcParams per session, which costs every picture; jacviz shares them."""
    assert _printed_by(SCOPED_THEN_SHARED)[-4:] == ["RcParamsScoped", "True True", "True False", ""]


QUIET_EVENTS = """
import types
import solara.server.app  # Solara's patches, as in the class server
from solara.server import patch
from jacviz.classroom._events import NoEvents, quiet_events

shell = types.SimpleNamespace(display_pub=None)
context = types.SimpleNamespace(kernel=types.SimpleNamespace(shell=shell))
print(type(patch.FakeIPython(context).events).__name__)
print(quiet_events(patch), quiet_events(patch))
events = patch.FakeIPython(context).events  # what comm triggers around each message
print(type(events).__name__, events.trigger("pre_execute"), events.register("post_execute", print))
"""


@NEEDS_SOLARA
def test_the_class_server_gives_solaras_per_message_shell_events_that_cost_nothing():
    """Solara builds a MagicMock per widget message for IPython's events; jacviz does not."""
    assert _printed_by(QUIET_EVENTS) == ["MagicMock", "True False", "NoEvents None None", ""]
