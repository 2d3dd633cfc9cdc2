"""jacviz app / jacviz-app: options, the token decision, the app files and the Voila command.

No server is started here (``subprocess.Popen`` is replaced), except one real
kernel from the app's kernel spec for the memory limit; serving the app to a
browser is covered by ``tests/e2e/test_app_server.py``.
"""

import ast
import importlib.metadata
import json
import os
import pathlib
import queue
import signal
import subprocess
import sys
import time
import types
import uuid

import nbformat
import pytest
from ci import run_alone
from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import KernelManager
from nbclient import NotebookClient

from jacviz import app
from jacviz.app import _serve


class FakeVoila:
    """Stands in for subprocess.Popen: records the call and the files it was given.

    ``during_wait`` runs inside the first ``wait()``, like a signal arriving while
    Voila serves.
    """

    def __init__(self, returncode=0, during_wait=None):
        self.returncode, self.during_wait = returncode, during_wait
        self.command = self.cwd = self.env = self.notebook_text = self.spec = None
        self.terminated = False

    def __call__(self, command, *, cwd, env):
        self.command, self.cwd, self.env = command, cwd, env
        self.notebook_text = pathlib.Path(command[3]).read_text(encoding="utf-8")
        spec_path = pathlib.Path(cwd) / "kernels" / "jacviz-app" / "kernel.json"
        self.spec = json.loads(spec_path.read_text(encoding="utf-8"))
        return self

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        return False

    def wait(self, timeout=None):
        if self.during_wait is not None:
            during_wait, self.during_wait = self.during_wait, None
            during_wait()
        return self.returncode

    def terminate(self):
        self.terminated = True


def _ctrl_c():
    raise KeyboardInterrupt


def _sigterm():
    os.kill(os.getpid(), signal.SIGTERM)


def _flags(command):
    """The ``--name=value`` flags of a Voila command as a dict (bare flags map to None)."""
    pairs = (flag.split("=", 1) for flag in command[4:])
    return {pair[0]: (pair[1] if len(pair) == 2 else None) for pair in pairs}


@pytest.fixture
def fake_run(monkeypatch):
    voila = FakeVoila()
    monkeypatch.setattr(_serve.subprocess, "Popen", voila)
    return voila


def test_defaults_serve_a_class_on_localhost(fake_run, capsys):
    assert app.main([]) == 0
    command = fake_run.command
    assert command[:3] == [sys.executable, "-m", "voila"]
    flags = _flags(command)
    assert flags["--Voila.ip"] == "127.0.0.1"
    assert flags["--Voila.port"] == "8866"
    assert flags["--Voila.port_retries"] == "0"  # the printed address is the real one
    assert flags["--strip_sources"] == "True"
    assert flags["--Voila.base_url"] == "/"
    assert flags["--CappedKernelManager.max_kernels"] == "100"
    assert flags["--MappingKernelManager.cull_idle_timeout"] == "120"
    assert flags["--MappingKernelManager.cull_interval"] == "30"
    assert "--MappingKernelManager.cull_connected" not in flags
    assert flags["--preheat_kernel"] == "True"
    assert flags["--pool_size"] == "2"
    assert flags["--VoilaExecutor.iopub_timeout"] == "60"  # a class's kernels start at once
    assert "--token" not in flags  # loopback: no token
    assert "JUPYTER_TOKEN" not in fake_run.env
    assert fake_run.spec["argv"][3:5] == ["--memory-limit", "2048"]
    notebook = pathlib.Path(command[3])
    assert notebook.parent == pathlib.Path(fake_run.cwd)
    assert not notebook.exists()  # the temporary folder is gone after the run
    assert "http://127.0.0.1:8866/\n" in capsys.readouterr().err


def test_the_kernel_manager_class_voila_is_told_to_load_exists(fake_run):
    app.main([])
    path = _flags(fake_run.command)["--VoilaConfiguration.multi_kernel_manager_class"]
    module, name = path.rsplit(".", 1)
    from jacviz.app import server

    assert module == server.__name__
    assert getattr(server, name) is server.CappedKernelManager


def test_class_options_reach_voila(fake_run):
    app.main(
        [
            "--port=9123",
            "--base-url=jacviz",
            "--no-browser",
            "--max-kernels=40",
            "--memory-limit=1024",
            "--cull-after=300",
            "--cull-connected",
            "--preheat=0",
        ]
    )
    flags = _flags(fake_run.command)
    assert flags["--Voila.port"] == "9123"
    assert flags["--Voila.base_url"] == "/jacviz/"
    assert "--no-browser" in flags
    assert flags["--CappedKernelManager.max_kernels"] == "40"
    assert flags["--MappingKernelManager.cull_idle_timeout"] == "300"
    assert flags["--MappingKernelManager.cull_interval"] == "60"
    assert flags["--MappingKernelManager.cull_connected"] == "True"
    assert "--preheat_kernel" not in flags
    assert fake_run.spec["argv"][3:5] == ["--memory-limit", "1024"]


def test_zero_turns_culling_off(fake_run):
    app.main(["--cull-after=0"])
    assert not [flag for flag in fake_run.command if "cull" in flag]


def test_off_loopback_a_token_is_made_and_printed_with_the_url(fake_run, capsys):
    app.main(["--ip", "0.0.0.0", "--port", "9000"])
    token = fake_run.env["JUPYTER_TOKEN"]
    assert len(token) >= 16
    assert "--token" in fake_run.command  # voila: require the token from JUPYTER_TOKEN
    assert not [part for part in fake_run.command if token in part]  # never on a command line
    assert f":9000/?token={token}" in capsys.readouterr().err


def test_each_run_makes_a_new_token(fake_run):
    app.main(["--ip", "0.0.0.0"])
    first = fake_run.env["JUPYTER_TOKEN"]
    app.main(["--ip", "0.0.0.0"])
    assert fake_run.env["JUPYTER_TOKEN"] != first


def test_a_given_token_is_used_on_loopback_too(fake_run, capsys):
    app.main(["--token", "lecture-7-token"])
    assert fake_run.env["JUPYTER_TOKEN"] == "lecture-7-token"
    assert "127.0.0.1:8866/?token=lecture-7-token" in capsys.readouterr().err


def test_no_token_off_loopback_must_be_asked_for_and_is_warned_about(fake_run, capsys):
    app.main(["--ip", "0.0.0.0", "--no-token"])
    assert "--token" not in fake_run.command
    assert "JUPYTER_TOKEN" not in fake_run.env
    assert "anyone who can reach this address" in capsys.readouterr().err


def test_a_token_in_the_callers_environment_does_not_leak_into_an_open_app(fake_run, monkeypatch):
    monkeypatch.setenv("JUPYTER_TOKEN", "from-the-shell")
    app.main([])
    assert "JUPYTER_TOKEN" not in fake_run.env


@pytest.mark.parametrize(
    ("ip", "loopback"),
    [
        ("127.0.0.1", True),
        ("127.0.0.2", True),
        ("::1", True),
        ("localhost", True),
        ("0.0.0.0", False),
        ("::", False),
        ("192.0.2.10", False),
        ("2001:db8::1", False),
        ("lecture-hall.example.org", False),
        ("", False),
    ],
)
def test_which_addresses_need_a_token(ip, loopback):
    assert app.is_loopback(ip) is loopback
    token = app.choose_token(ip, new_token=lambda: "new-token")
    assert token == (None if loopback else "new-token")
    assert app.choose_token(ip, no_token=True) is None
    assert app.choose_token(ip, "given-token") == "given-token"


@pytest.mark.parametrize(
    "argv",
    [
        ["--port", "0"],
        ["--port", "65536"],
        ["--port", "http"],
        ["--max-kernels", "-1"],
        ["--memory-limit", "2GB"],
        ["--token", "short"],
        ["--token", "has space in it"],
        ["--token", "x" * 8, "--no-token"],
        ["--base-url", "/a b/"],
        ["--base-url", "http://host/"],
    ],
)
def test_bad_options_are_refused_before_voila_starts(fake_run, argv, capsys):
    with pytest.raises(SystemExit) as info:
        app.main(argv)
    assert info.value.code == 2
    assert argv[0] in capsys.readouterr().err
    assert fake_run.command is None


@pytest.mark.parametrize(
    ("given", "url"), [("jacviz", "/jacviz/"), ("/a/b", "/a/b/"), ("/", "/"), ("", "/")]
)
def test_base_url_gets_its_slashes(fake_run, given, url):
    app.main([f"--base-url={given}"])
    assert _flags(fake_run.command)["--Voila.base_url"] == url


def test_app_notebook_is_valid_and_asks_for_the_app_kernel(fake_run):
    app.main([])
    notebook = nbformat.reads(fake_run.notebook_text, as_version=4)
    nbformat.validate(notebook)
    (cell,) = notebook.cells
    assert ast.unparse(ast.parse(cell.source).body[-1]) == "jacviz.JacobianExplorer()"
    assert notebook.metadata.kernelspec.name == "jacviz-app"
    assert fake_run.env["JUPYTER_PATH"].split(os.pathsep)[0] == fake_run.cwd
    assert fake_run.spec["argv"][:3] == [sys.executable, "-m", "jacviz.app.kernel"]


@pytest.mark.parametrize("function", ["sin(x) * 2", "x'); import os; print('", 'a"b\\n'])
def test_function_text_becomes_a_string_literal_never_code(fake_run, function):
    app.main(["--function", function])
    source = json.loads(fake_run.notebook_text)["cells"][0]["source"]
    tree = ast.parse(source)
    assert len(tree.body) == 2  # import jacviz; jacviz.JacobianExplorer(...)
    call = tree.body[1].value
    assert [keyword.arg for keyword in call.keywords] == ["function"]
    assert ast.literal_eval(call.keywords[0].value) == function


def test_voila_exit_status_is_returned(monkeypatch):
    voila = FakeVoila(returncode=3)
    monkeypatch.setattr(_serve.subprocess, "Popen", voila)
    assert app.main(["--no-browser"]) == 3
    assert not voila.terminated


@pytest.mark.parametrize("stop", [_ctrl_c, _sigterm], ids=["ctrl-c", "sigterm"])
def test_ctrl_c_and_sigterm_stop_voila_and_remove_the_files(monkeypatch, stop):
    voila = FakeVoila(returncode=-15, during_wait=stop)
    monkeypatch.setattr(_serve.subprocess, "Popen", voila)
    before = signal.getsignal(signal.SIGTERM)
    assert app.main([]) == 0
    assert voila.terminated
    assert not pathlib.Path(voila.cwd).exists()
    assert signal.getsignal(signal.SIGTERM) == before


def test_without_voila_the_message_names_the_app_extra(fake_run, monkeypatch):
    real_find_spec = app._extras.importlib.util.find_spec

    def find_spec(name, *args):
        return None if name == "voila" else real_find_spec(name, *args)

    monkeypatch.setattr(app._extras.importlib.util, "find_spec", find_spec)
    with pytest.raises(SystemExit) as info:
        app.main([])
    assert 'pip install "jacviz[app]"' in str(info.value.code)
    assert "Voila" in str(info.value.code)
    assert fake_run.command is None


def test_console_script_is_installed():
    (entry,) = importlib.metadata.entry_points(group="console_scripts", name="jacviz-app")
    assert entry.load() is app.main


def test_voila_knows_every_flag_we_pass():
    """Voila's own flags are in its help; the kernel managers' are config traits.

    Voila hands its config to the kernel manager it makes, so culling and the cap
    are set through ``--MappingKernelManager.*`` and ``--CappedKernelManager.*``
    (the end-to-end tests watch them act).
    """
    from jupyter_server.services.kernels.kernelmanager import MappingKernelManager

    from jacviz.app.server import CappedKernelManager

    managers = {
        "MappingKernelManager": MappingKernelManager,
        "CappedKernelManager": CappedKernelManager,
    }
    help_text = subprocess.run(
        [sys.executable, "-m", "voila", "--help-all"],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout
    settings = app.AppSettings(token="a-token-here", open_browser=False, cull_connected=True)
    for flag in app.voila_command("app.ipynb", settings)[4:]:
        name = flag.split("=")[0]
        owner, _, trait = name.removeprefix("--").partition(".")
        if owner in managers:
            assert trait in managers[owner].class_traits(config=True), flag
        else:
            assert name in help_text, flag
    assert CappedKernelManager.class_traits(config=True)["max_kernels"].default_value == 0


def test_app_notebook_runs_and_shows_the_explorer_with_its_formula(tmp_path):
    """Executed in a plain kernel (no server): one explorer, its formula box set."""
    notebook = nbformat.from_dict(app.app_notebook("sin(x) * x"))
    client = NotebookClient(
        notebook,
        kernel_name="python3",
        store_widget_state=True,
        resources={"metadata": {"path": str(tmp_path)}},
    )
    client.execute()
    (output,) = notebook.cells[0].outputs
    assert "application/vnd.jupyter.widget-view+json" in output["data"]
    state = notebook.metadata["widgets"]["application/vnd.jupyter.widget-state+json"]["state"]
    function_boxes = [
        model["state"]
        for model in state.values()
        if "jacviz-function" in model["state"].get("_dom_classes", [])
    ]
    assert [box["value"] for box in function_boxes] == ["sin(x) * x"]


@pytest.fixture
def limited_kernel(tmp_path):
    """A kernel started from the app's own kernel spec, limited to 1,024 MB."""
    app.write_app_files(tmp_path, None, 1024)
    specs = KernelSpecManager(kernel_dirs=[str(tmp_path / "kernels")])
    manager = KernelManager(kernel_name="jacviz-app", kernel_spec_manager=specs)
    manager.start_kernel(cwd=str(tmp_path))
    client = manager.client()
    client.start_channels()
    client.wait_for_ready(timeout=60)
    yield manager, client
    client.stop_channels()
    manager.shutdown_kernel(now=True)


def _run(client, code):
    """Execute ``code``; return (status, text of the error or of the last result).

    ``stop_on_error=False``: an error here must not make the kernel abort the
    next request. With ``True`` ipykernel aborts what arrives before its
    "stop aborting" callback runs, which under load can be the next cell
    (seen as ``('aborted', '')`` in a clean-clone run).
    """
    outputs = []
    reply = client.execute_interactive(
        code, timeout=60, output_hook=outputs.append, stop_on_error=False
    )
    texts = [
        "\n".join(msg["content"].get("traceback", []))
        or msg["content"].get("data", {}).get("text/plain", "")
        for msg in outputs
        if msg["msg_type"] in ("error", "execute_result")
    ]
    return reply["content"]["status"], "\n".join(texts)


def test_the_app_kernel_has_its_memory_limit_and_says_so_when_hit(limited_kernel):
    manager, client = limited_kernel
    limits = pathlib.Path(f"/proc/{manager.provisioner.pid}/limits").read_text()
    (line,) = [line for line in limits.splitlines() if line.startswith("Max address space")]
    assert line.split()[3] == str(1024 * 2**20)

    status, text = _run(client, "import numpy as np\nbig = np.ones(2**28)  # 2 GiB")
    assert status == "error"
    assert "MemoryError" in text
    assert "this kernel may use at most 1024 MB (jacviz app --memory-limit)" in text

    # the kernel lives on: a small allocation and the explorer still work
    status, text = _run(client, "import jacviz\nfloat(np.ones(1000).sum())")
    assert (status, text) == ("ok", "1000.0")
    status, text = _run(client, "jacviz.JacobianExplorer().result.shape")
    assert (status, text) == ("ok", "(2, 2, 2)")


def _control_states(client, timeout=30.0):
    """Ask the kernel for every widget's state on the ``jupyter.widget.control`` comm.

    What Voila's page does first when it connects; return the ``update_states``
    reply's states, or None when the kernel closed the comm (no such target).
    """
    comm_id = uuid.uuid4().hex
    opened = client.session.msg(
        "comm_open",
        {"comm_id": comm_id, "target_name": "jupyter.widget.control", "data": {}},
        metadata={"version": "1.0.0"},
    )
    client.shell_channel.send(opened)
    ask = {"comm_id": comm_id, "data": {"method": "request_states"}}
    client.shell_channel.send(client.session.msg("comm_msg", ask))
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            msg = client.get_iopub_msg(timeout=max(0.1, deadline - time.monotonic()))
        except queue.Empty:
            break
        content = msg["content"]
        if content.get("comm_id") != comm_id:
            continue
        if msg["msg_type"] == "comm_close":
            return None
        if msg["msg_type"] == "comm_msg" and content["data"]["method"] == "update_states":
            return content["data"]["states"]
    pytest.fail(f"no answer on the control comm within {timeout} s")


def test_the_app_kernel_answers_all_widget_states_in_one_message(limited_kernel):
    """The control comm target is there before the page connects (``--ext=ipywidgets``).

    Without it Voila's page falls back to one ``request_state`` per widget: hundreds
    of messages per page load, which choked a class of thirty pages starting at once.
    """
    _, client = limited_kernel
    status, _ = _run(client, "import jacviz\nexplorer = jacviz.JacobianExplorer(function='x**2')")
    assert status == "ok"
    states = _control_states(client)
    assert states is not None, "the kernel closed the control comm: no such target"
    function_boxes = [
        model["state"]["value"]
        for model in states.values()
        if "jacviz-function" in model["state"].get("_dom_classes", [])
    ]
    assert function_boxes == ["x**2"]
    # ipywidgets 8.1 keeps its widgets in widget._instances, 8.0 in Widget._active_widgets
    count_code = (
        "from ipywidgets.widgets import widget\n"
        "len(getattr(widget, '_instances', None) or widget.Widget._active_widgets)"
    )
    status, count = _run(client, count_code)
    assert status == "ok"
    assert int(count) == len(states) > 20  # every widget of the page, in one reply


def _faked_culler(monkeypatch):
    """Return ``(server module, culled kernel ids, clock)``: jupyter_server's own cull
    step records the id instead of culling, and the culler reads ``clock.now``."""
    from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager

    from jacviz.app import server

    culled = []

    async def cull_as_jupyter_server_does(self, kernel_id):
        culled.append(kernel_id)

    monkeypatch.setattr(
        AsyncMappingKernelManager, "cull_kernel_if_idle", cull_as_jupyter_server_does
    )
    clock = types.SimpleNamespace(now=1000.0)
    monkeypatch.setattr(server, "time", types.SimpleNamespace(monotonic=lambda: clock.now))
    return server, culled, clock


def test_the_culler_gives_each_kernel_a_full_timeout_first(monkeypatch):
    """A preheated kernel idle since it drew the explorer is not culled the moment a
    visitor takes it, before the visitor's page has connected."""
    server, culled, clock = _faked_culler(monkeypatch)
    # the timeout alone (no connect grace; the next test has both)
    manager = server.CappedKernelManager(cull_idle_timeout=120, connect_grace=0)

    run_alone(manager.cull_kernel_if_idle("handed-out"))  # first seen now
    clock.now += 119
    run_alone(manager.cull_kernel_if_idle("handed-out"))
    assert culled == []
    clock.now += 2
    run_alone(manager.cull_kernel_if_idle("handed-out"))
    assert culled == ["handed-out"]


def test_a_kernel_no_page_connected_to_yet_gets_the_connect_grace(monkeypatch):
    """Under a class's load a page connects minutes after its kernel started: a short
    cull timeout must not end the kernel first; once connected and gone, it goes."""
    server, culled, clock = _faked_culler(monkeypatch)
    manager = server.CappedKernelManager(cull_idle_timeout=5, connect_grace=30)
    assert server.CappedKernelManager().connect_grace == server.CONNECT_GRACE_S == 300

    for kernel_id in ("waiting", "visited"):
        run_alone(manager.cull_kernel_if_idle(kernel_id))  # both first seen now
    manager.notify_connect("visited")
    manager.notify_disconnect("visited")  # the page came and went
    clock.now += 6
    for kernel_id in ("waiting", "visited"):
        run_alone(manager.cull_kernel_if_idle(kernel_id))
    assert culled == ["visited"]
    clock.now += 23  # 29 s
    run_alone(manager.cull_kernel_if_idle("waiting"))
    assert culled == ["visited"]
    clock.now += 2  # 31 s: no page came within the grace
    run_alone(manager.cull_kernel_if_idle("waiting"))
    assert culled == ["visited", "waiting"]


def test_pool_kernels_start_one_at_a_time_and_visitors_never_wait(monkeypatch):
    """A rush that empties a pool of thirty must not start thirty kernels at once."""
    from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager

    from jacviz.app import server

    events = []

    async def sleep(seconds):
        events.append(("wait", seconds))

    async def start(self, *, kernel_id=None, **kwargs):
        events.append(("start", kwargs["env"].get("VOILA_PREHEAT", "visitor")))
        return "kernel-id"

    monkeypatch.setattr(server, "time", types.SimpleNamespace(monotonic=lambda: 1000.0))
    monkeypatch.setattr(server.asyncio, "sleep", sleep)
    monkeypatch.setattr(AsyncMappingKernelManager, "start_kernel", start)
    manager = server.CappedKernelManager(pool_start_spacing=2.0)
    assert server.CappedKernelManager().pool_start_spacing == server.default_pool_spacing()

    pool = {"env": {"VOILA_PREHEAT": "True"}}
    for request in (pool, pool, {"env": {}}, pool):  # asked for in the same instant
        assert run_alone(manager.start_kernel(**request)) == "kernel-id"
    assert events == [
        ("start", "True"),
        ("wait", 2.0),
        ("start", "True"),
        ("start", "visitor"),  # a visitor's kernel starts at once
        ("wait", 4.0),
        ("start", "True"),
    ]


def test_a_server_that_ignores_sigterm_is_killed_after_the_grace_time():
    ignores = "import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); print(1)"
    command = [sys.executable, "-c", ignores + "; time.sleep(60)"]
    with subprocess.Popen(command, stdout=subprocess.PIPE) as server:
        assert server.stdout.readline() == b"1\n"  # the handler is in place
        assert _serve.stop(server, grace=0.5) == -signal.SIGKILL


def test_a_server_that_stops_on_sigterm_is_not_killed():
    command = [sys.executable, "-c", "print(1, flush=True); import time; time.sleep(60)"]
    with subprocess.Popen(command, stdout=subprocess.PIPE) as server:
        assert server.stdout.readline() == b"1\n"
        assert _serve.stop(server, grace=30) == -signal.SIGTERM
