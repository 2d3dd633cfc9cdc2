"""The built packages, as a new user gets them.

The sdist and the wheel are built once per module by hatchling's own build hooks
(PEP 517, what ``python -m build`` calls) in a fresh venv. The wheel goes into
another fresh venv with its dependencies but without the ``app`` extra, the way
``pip install jacviz`` leaves a new user: ``jacviz notebooks DIR`` copies the
notebooks, every ``--help`` works, and ``jacviz app`` / ``jacviz lab`` name the
extra to install. The sdist holds every file git tracks but the CI entry point,
and its own tests collect from the unpacked sdist.

pip takes hatchling and the dependencies from its cache when it can (about 5 s
and 15 s here); the packages are the ones ``pyproject.toml`` names.
"""

import email
import subprocess
import sys
import tarfile
import venv
import zipfile
from pathlib import Path

import pytest

pytestmark = [pytest.mark.slow, pytest.mark.timeout(600)]

REPO = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted(path.name for path in (REPO / "notebooks").glob("*.ipynb"))
# the repository's CI scripts; the sdist has `make test`
NOT_IN_THE_SDIST = {".ci/run", ".ci/matrix"}
URL = "https://github.com/jacviz/jacviz"


def _run(args, *, cwd=None, check=True, timeout=300):
    """Run a command, return the finished process (text output)."""
    return subprocess.run(
        [str(arg) for arg in args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=check,
    )


def _new_venv(folder, *packages):
    """Make a venv in ``folder`` with pip and ``packages``; return its bin folder."""
    venv.create(folder, with_pip=True)
    bin_dir = Path(folder) / "bin"
    if packages:
        _run([bin_dir / "python", "-m", "pip", "install", "--quiet", *packages])
    return bin_dir


@pytest.fixture(scope="module")
def dist(tmp_path_factory):
    """Build the sdist and the wheel of this checkout; return the folder holding them."""
    bin_dir = _new_venv(tmp_path_factory.mktemp("builder"), "hatchling")
    out = tmp_path_factory.mktemp("dist")
    hooks = (
        "from hatchling.build import build_sdist, build_wheel; "
        f"build_sdist({str(out)!r}); build_wheel({str(out)!r})"
    )
    _run([bin_dir / "python", "-c", hooks], cwd=REPO)
    return out


@pytest.fixture(scope="module")
def wheel(dist):
    (path,) = dist.glob("jacviz-*.whl")
    return path


@pytest.fixture(scope="module")
def sdist(dist):
    (path,) = dist.glob("jacviz-*.tar.gz")
    return path


@pytest.fixture(scope="module")
def installed(wheel, tmp_path_factory):
    """A fresh venv with the wheel and its dependencies, without the app extra."""
    return _new_venv(tmp_path_factory.mktemp("user-venv"), wheel)


def test_the_wheel_ships_the_notebooks_and_the_metadata(wheel):
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        (metadata_name,) = [name for name in names if name.endswith(".dist-info/METADATA")]
        metadata = email.message_from_string(archive.read(metadata_name).decode())
        shipped = sorted(name.split("/")[-1] for name in names if "/notebooks/" in name)
        entry_points = archive.read(metadata_name.replace("METADATA", "entry_points.txt"))
    assert shipped == NOTEBOOKS
    assert not [name for name in names if name.startswith(("tests/", "docs/", "notebooks/"))]
    # jacviz html and the nbconvert preprocessor of docs/course-notes.md ship with the package
    assert {
        "jacviz/cli/_html.py",
        "jacviz/notes/_export.py",
        "jacviz/notes/_maths.py",
        "jacviz/notes/preprocessor.py",
    } <= set(names)
    urls = dict(value.split(", ", 1) for value in metadata.get_all("Project-URL"))
    assert set(urls) == {"Homepage", "Source", "Issues", "Documentation"}
    assert all(url.startswith(URL) for url in urls.values())
    # the README is the project page: its picture must load from anywhere
    assert f"({URL.replace('github.com', 'raw.githubusercontent.com')}/main/docs/explorer.png)" in (
        metadata.get_payload()
    )
    assert b"jacviz = jacviz.cli:main" in entry_points
    assert b"jacviz-app = jacviz.app:main" in entry_points


def test_jacviz_notebooks_from_the_wheel(installed, tmp_path):
    result = _run([installed / "jacviz", "notebooks", tmp_path / "course"])
    copied = sorted(path.name for path in (tmp_path / "course").iterdir())
    assert copied == NOTEBOOKS
    for name in NOTEBOOKS:
        original = (REPO / "notebooks" / name).read_bytes()
        assert (tmp_path / "course" / name).read_bytes() == original
        assert name in result.stdout

    again = _run([installed / "jacviz", "notebooks", tmp_path / "course"], check=False)
    assert again.returncode == 1
    assert "nothing copied" in again.stderr


def test_every_help_works_without_the_app_extra(installed):
    assert "app" in _run([installed / "jacviz", "--help"]).stdout
    commands = (["jacviz", "app"], ["jacviz-app"], ["jacviz", "lab"], ["jacviz", "notebooks"])
    for command in (*commands, ["jacviz", "html"]):
        help_text = _run([installed / command[0], *command[1:], "--help"]).stdout
        assert help_text.startswith("usage:")
    assert "--max-kernels" in _run([installed / "jacviz", "app", "--help"]).stdout


@pytest.mark.parametrize(
    ("command", "missing"),
    [
        (["jacviz", "app"], "Voila"),
        (["jacviz-app"], "Voila"),
        (["jacviz", "lab"], "JupyterLab"),
        (["jacviz", "html", "lecture.ipynb"], "nbconvert"),
    ],
)
def test_a_missing_extra_is_named_not_a_traceback(installed, tmp_path, command, missing):
    result = _run([installed / command[0], *command[1:]], cwd=tmp_path, check=False)
    assert result.returncode == 1
    assert f"needs {missing}, which is not installed" in result.stderr
    assert 'pip install "jacviz[app]"' in result.stderr
    assert "Traceback" not in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_the_sdist_holds_every_tracked_file_but_the_ci_entry(sdist):
    if not (REPO / ".git").exists():
        pytest.skip("not a git checkout (e.g. run from an unpacked sdist): no file list")
    # tracked files and new ones not ignored: what a commit of this tree would hold
    listing = ["git", "ls-files", "--cached", "--others", "--exclude-standard"]
    tracked = set(_run(listing, cwd=REPO).stdout.split())
    with tarfile.open(sdist) as archive:
        members = {name.split("/", 1)[1] for name in archive.getnames() if "/" in name}
    assert tracked - members == NOT_IN_THE_SDIST
    assert members - tracked <= {"PKG-INFO"}


def _collected(folder):
    """Return pytest's closing line of ``--collect-only`` in ``folder`` (it must pass)."""
    result = _run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider"],
        cwd=folder,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return result.stdout.strip().splitlines()[-1].split(" in ")[0]


def test_the_sdist_collects_its_own_tests(sdist, tmp_path):
    with tarfile.open(sdist) as archive:
        archive.extractall(tmp_path, filter="data")
    (unpacked,) = tmp_path.iterdir()
    assert _collected(unpacked) == _collected(REPO)
