"""The ``jacviz`` command: notebooks, lab and app, and room for more subcommands.

``jacviz lab`` is run up to the point where it would become JupyterLab
(``os.execv`` is replaced); ``tests/e2e/test_make_lab.py`` starts it for real.
"""

import importlib.metadata
import os
import subprocess
import sys
from pathlib import Path

import pytest

from jacviz import cli
from jacviz.app import _extras
from jacviz.cli import _lab

REPO = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted(path.name for path in (REPO / "notebooks").glob("*.ipynb"))


def test_notebooks_are_copied_and_named(tmp_path, capsys):
    folder = tmp_path / "course"
    assert cli.main(["notebooks", str(folder)]) == 0
    assert sorted(path.name for path in folder.iterdir()) == NOTEBOOKS
    for name in NOTEBOOKS:
        assert (folder / name).read_bytes() == (REPO / "notebooks" / name).read_bytes()
    out = capsys.readouterr().out
    assert f"copied {len(NOTEBOOKS)} notebooks to {folder}" in out
    assert all(name in out for name in NOTEBOOKS)


def test_the_default_folder_is_jacviz_notebooks(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert cli.main(["notebooks"]) == 0
    assert sorted(path.name for path in (tmp_path / "jacviz-notebooks").iterdir()) == NOTEBOOKS


def test_existing_notebooks_are_not_overwritten_without_force(tmp_path):
    mine = tmp_path / NOTEBOOKS[0]
    mine.write_text("my notes")
    with pytest.raises(SystemExit) as info:
        cli.main(["notebooks", str(tmp_path)])
    message = str(info.value.code)
    assert NOTEBOOKS[0] in message
    assert "nothing copied" in message
    assert "--force" in message
    assert mine.read_text() == "my notes"
    assert [path.name for path in tmp_path.iterdir()] == [NOTEBOOKS[0]]  # nothing else either

    assert cli.main(["notebooks", str(tmp_path), "--force"]) == 0
    assert mine.read_bytes() == (REPO / "notebooks" / NOTEBOOKS[0]).read_bytes()


def test_no_command_prints_the_commands(capsys):
    assert cli.main([]) == 2
    out = capsys.readouterr().out
    assert all(name in out for name in ("notebooks", "lab", "app"))


@pytest.mark.parametrize("argv", [["notebooks", "--port=1"], ["app", "--nonsense"], ["teleport"]])
def test_unknown_arguments_are_usage_errors(argv, capsys):
    with pytest.raises(SystemExit) as info:
        cli.main(argv)
    assert info.value.code == 2
    assert "usage: jacviz" in capsys.readouterr().err


def test_every_subcommand_has_help(capsys):
    for command in cli.COMMANDS:
        with pytest.raises(SystemExit) as info:
            cli.main([command.NAME, "--help"])
        assert info.value.code == 0
        assert f"usage: jacviz {command.NAME}" in capsys.readouterr().out


def test_a_new_subcommand_is_one_module_and_one_entry(monkeypatch, tmp_path):
    """How ``jacviz html`` came in: one module, one more entry."""

    class Pdf:
        NAME = "pdf"
        HELP = "turn a notebook into a handout"

        @staticmethod
        def add_arguments(parser):
            parser.add_argument("notebook")
            parser.add_argument("-o", "--output", required=True)

        @staticmethod
        def run(args):
            Path(args.output).write_text(f"page of {args.notebook}")
            return 0

    monkeypatch.setattr(cli, "COMMANDS", (*cli.COMMANDS, Pdf))
    output = tmp_path / "out.pdf"
    assert cli.main(["pdf", "lecture.ipynb", "-o", str(output)]) == 0
    assert output.read_text() == "page of lecture.ipynb"


@pytest.fixture
def exec_calls(monkeypatch):
    calls = []
    monkeypatch.setattr(_lab.os, "execv", lambda path, argv: calls.append((os.getcwd(), argv)))
    monkeypatch.setattr(_lab.os, "chdir", lambda path: calls.append(("chdir", str(path))))
    return calls


@pytest.mark.parametrize(("uid", "root_flag"), [(0, True), (1000, False)], ids=["root", "user"])
def test_lab_adds_allow_root_as_root_only(exec_calls, monkeypatch, tmp_path, uid, root_flag):
    monkeypatch.setattr(_lab.os, "geteuid", lambda: uid)
    cli.main(["lab", str(tmp_path), "--no-browser", "--port=8890"])
    (chdir, (_, argv)) = exec_calls
    assert chdir == ("chdir", str(tmp_path))
    assert argv[:3] == [sys.executable, "-m", "jupyterlab"]
    assert ("--allow-root" in argv) is root_flag
    assert argv[-3:] == ["--no-browser", "--port=8890", "01_batch_jacobian_tour.ipynb"]


def test_lab_copies_only_the_missing_notebooks(exec_calls, tmp_path, capsys):
    mine = tmp_path / NOTEBOOKS[0]
    mine.write_text("my edits")
    cli.main(["lab", str(tmp_path)])
    assert mine.read_text() == "my edits"
    assert sorted(path.name for path in tmp_path.iterdir()) == NOTEBOOKS
    assert f"copied {', '.join(NOTEBOOKS[1:])}" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("argv", "missing", "name"),
    [(["app"], "voila", "Voila"), (["lab", "nb"], "jupyterlab", "JupyterLab")],
)
def test_a_missing_extra_is_named(exec_calls, monkeypatch, tmp_path, argv, missing, name):
    real_find_spec = _extras.importlib.util.find_spec

    def find_spec(module, *args):
        return None if module == missing else real_find_spec(module, *args)

    monkeypatch.setattr(_extras.importlib.util, "find_spec", find_spec)
    with pytest.raises(SystemExit) as info:
        cli.main([argv[0], *(str(tmp_path / folder) for folder in argv[1:])])
    message = str(info.value.code)
    assert f"jacviz {argv[0]} needs {name}" in message
    assert 'pip install "jacviz[app]"' in message
    assert exec_calls == []
    assert list(tmp_path.iterdir()) == []  # nothing copied before the refusal


def test_console_script_is_installed():
    (entry,) = importlib.metadata.entry_points(group="console_scripts", name="jacviz")
    assert entry.load() is cli.main


def test_python_dash_m_jacviz_runs_the_command():
    result = subprocess.run(
        [sys.executable, "-m", "jacviz", "--version"],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert result.stdout.strip() == f"jacviz {importlib.metadata.version('jacviz')}"
