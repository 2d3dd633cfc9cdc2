"""jacviz-app: argument handling, the app notebook and the Voila command.

No server is started here (``subprocess.Popen`` is replaced); serving the app in
a real browser is covered by the end-to-end tests.
"""

import ast
import importlib.metadata
import json
import os
import pathlib
import signal
import subprocess
import sys

import nbformat
import pytest
from nbclient import NotebookClient

from jacviz import app


class FakeVoila:
    """Stands in for subprocess.Popen: records the call and the notebook it was given.

    ``during_wait`` runs inside the first ``wait()``, like a signal arriving while
    Voila serves.
    """

    def __init__(self, returncode=0, during_wait=None):
        self.returncode, self.during_wait = returncode, during_wait
        self.command = self.cwd = self.notebook_text = None
        self.terminated = False

    def __call__(self, command, *, cwd):
        self.command, self.cwd = command, cwd
        self.notebook_text = pathlib.Path(command[3]).read_text(encoding="utf-8")
        return self

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        return False

    def wait(self):
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


@pytest.fixture
def fake_run(monkeypatch):
    voila = FakeVoila()
    monkeypatch.setattr(app.subprocess, "Popen", voila)
    return voila


def test_defaults_serve_on_localhost_with_sources_stripped(fake_run):
    assert app.main([]) == 0
    command = fake_run.command
    assert command[:3] == [sys.executable, "-m", "voila"]
    assert "--Voila.ip=127.0.0.1" in command
    assert "--strip_sources=True" in command
    assert not any(part.startswith("--port") for part in command)
    assert "--no-browser" not in command
    notebook = pathlib.Path(command[3])
    assert notebook.parent == pathlib.Path(fake_run.cwd)
    assert not notebook.exists()  # the temporary folder is gone after the run


def test_port_ip_and_browser_options_reach_voila(fake_run):
    app.main(["--port", "9123", "--ip", "0.0.0.0", "--no-browser"])
    assert fake_run.command[4:] == [
        "--strip_sources=True",
        "--Voila.kernel_websocket_connection_class=jacviz.server.NoDelayConnection",
        "--Voila.ip=0.0.0.0",
        "--port=9123",
        "--no-browser",
    ]


@pytest.mark.parametrize("port", ["0", "65536", "-1", "http", "80.5"])
def test_bad_ports_are_rejected_before_voila_starts(fake_run, port, capsys):
    with pytest.raises(SystemExit) as info:
        app.main(["--port", port])
    assert info.value.code == 2
    assert "--port" in capsys.readouterr().err
    assert fake_run.command is None


def test_app_notebook_is_valid_and_shows_the_explorer(fake_run):
    app.main([])
    notebook = nbformat.reads(fake_run.notebook_text, as_version=4)
    nbformat.validate(notebook)
    (cell,) = notebook.cells
    assert cell.cell_type == "code"
    last = ast.parse(cell.source).body[-1]
    assert ast.unparse(last) == "jacviz.JacobianExplorer()"
    assert notebook.metadata.kernelspec.name == "python3"


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
    monkeypatch.setattr(app.subprocess, "Popen", voila)
    assert app.main(["--no-browser"]) == 3
    assert not voila.terminated


@pytest.mark.parametrize("stop", [_ctrl_c, _sigterm], ids=["ctrl-c", "sigterm"])
def test_ctrl_c_and_sigterm_stop_voila_and_remove_the_notebook(monkeypatch, stop):
    voila = FakeVoila(returncode=-15, during_wait=stop)
    monkeypatch.setattr(app.subprocess, "Popen", voila)
    before = signal.getsignal(signal.SIGTERM)
    assert app.main([]) == 0
    assert voila.terminated
    assert not pathlib.Path(voila.command[3]).parent.exists()
    assert signal.getsignal(signal.SIGTERM) == before


def test_console_script_is_installed():
    (entry,) = importlib.metadata.entry_points(group="console_scripts", name="jacviz-app")
    assert entry.load() is app.main


def test_voila_knows_every_flag_we_pass():
    help_text = subprocess.run(
        [sys.executable, "-m", "voila", "--help-all"],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout
    command = app.voila_command("app.ipynb", port=8000, open_browser=False)
    for flag in command[4:]:
        assert flag.split("=")[0] in help_text, flag


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
