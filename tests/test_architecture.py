"""The layers of jacviz import one way only.

Each module's imports are read with ``ast`` (module level and inside
functions alike) and compared with the allowed arrows below. A module that is
not listed here fails the test too, so a new module has to take a place in the
layering on purpose.
"""

import ast
import pathlib

import pytest

PACKAGE = pathlib.Path(__file__).resolve().parent.parent / "jacviz"

# module -> jacviz modules it may import
ALLOWED = {
    "errors": set(),
    "_validate": set(),
    "expressions": {"errors", "_validate"},
    "jacobians": {"errors", "_validate", "expressions"},
    "presets": set(),
    "plotting": {"errors", "_validate"},
    "views": {"errors", "_validate", "expressions", "jacobians", "plotting"},
    "widget": {
        "errors",
        "_validate",
        "expressions",
        "jacobians",
        "plotting",
        "presets",
        "views",
        "notes",
    },
    "app": set(),
    "notes": set(),
    "cli": {"app", "notes"},
    # the class server (one process, many sessions): the explorer, the warm-up, the cap's text
    "classroom": {"widget", "plotting", "app"},
    "__main__": {"cli"},
    "__init__": {
        "errors",
        "expressions",
        "jacobians",
        "presets",
        "plotting",
        "views",
        "widget",
    },
}

# third-party packages each module may import (besides the standard library)
THIRD_PARTY = {
    "errors": set(),
    "_validate": {"numpy"},
    "expressions": {"autograd"},
    "jacobians": {"numpy", "autograd"},
    "presets": {"numpy"},
    "plotting": {"numpy", "matplotlib", "isal"},  # isal: the PNG deflate (_png only)
    "views": {"numpy", "matplotlib"},
    "widget": {"numpy", "matplotlib", "ipywidgets", "IPython", "traitlets"},
    # app: jupyter-server's kernel manager (app/manager.py) and ipykernel (app/kernel.py)
    # run inside Voila and its kernels only; the rest of app and cli is standard library
    "app": {"jupyter_server", "tornado", "traitlets", "ipykernel"},
    # notes: nbformat, nbclient, nbconvert inside export_html only (the app extra);
    # matplotlib's mathtext draws the Markdown maths of jacviz html (_maths)
    "notes": {"nbformat", "nbclient", "nbconvert", "matplotlib"},
    "cli": set(),
    "classroom": {"solara", "starlette", "uvicorn"},
    "__main__": set(),
    "__init__": set(),
}
KNOWN_THIRD_PARTY = {
    "numpy",
    "autograd",
    "matplotlib",
    "ipywidgets",
    "IPython",
    "traitlets",
    "isal",
    "jupyter_server",
    "tornado",
    "ipykernel",
    "voila",
    "nbformat",
    "nbclient",
    "nbconvert",
    "solara",
    "starlette",
    "uvicorn",
}


def _layer(path):
    """The layer name of a module file: ``plotting/_grid.py`` belongs to ``plotting``."""
    rel = path.relative_to(PACKAGE)
    return rel.parts[0].removesuffix(".py")


def _imports(path):
    """Top-level names imported by a file, with relative imports resolved."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    rel = path.relative_to(PACKAGE)
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = ["jacviz", *rel.parts[:-1]][: len(rel.parts) - node.level + 1]
                name = ".".join([*base, node.module] if node.module else base)
                yield name
                if not node.module:
                    yield from (f"{name}.{alias.name}" for alias in node.names)
            else:
                yield node.module
                if node.module == "jacviz":
                    yield from (f"jacviz.{alias.name}" for alias in node.names)


MODULES = sorted(p for p in PACKAGE.rglob("*.py"))


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_imports_point_one_way(path):
    layer = _layer(path)
    assert layer in ALLOWED, f"{layer} has no place in the layering; add it to ALLOWED"
    for name in _imports(path):
        parts = name.split(".")
        if parts[0] == "jacviz" and len(parts) > 1:
            target = parts[1]
            if target == layer or target not in ALLOWED:
                continue
            assert target in ALLOWED[layer], f"{path.name} imports jacviz.{target}"
        elif parts[0] in KNOWN_THIRD_PARTY:
            assert parts[0] in THIRD_PARTY[layer], f"{path.name} imports {parts[0]}"


def test_only_widget_imports_ipywidgets():
    for path in MODULES:
        if _layer(path) in {"widget"}:
            continue
        names = {name.split(".")[0] for name in _imports(path)}
        assert not names & {"ipywidgets", "IPython"}, path


def test_no_pyplot_in_library():
    for path in MODULES:
        names = set(_imports(path))
        assert "matplotlib.pyplot" not in names, path


# ---------------------------------------------------------------- private matplotlib API

#: The one sub-package allowed to use matplotlib's and FreeType's private API.
FAST_PATH = ("plotting", "_fast")
#: matplotlib modules outside its public API (besides any ``_``-prefixed one).
PRIVATE_MODULES = {"matplotlib.ft2font"}
#: Private or semi-private names the fast path relies on: imported, used as an
#: attribute or overridden as a method, each is a fast-path-only call.
PRIVATE_NAMES = {
    "FT2Font",
    "get_font",
    "get_hinting_flag",
    "draw_text_image",
    "draw_glyphs_to_bitmap",
    "get_bitmap_offset",
    "_renderer",
    "_set_gc_clip",
    "_init_axis",
    "_remove_method",
    "majorTicks",
    "minorTicks",
    "make_image",
    "mathtext_parser",
}
#: Layers drawing with matplotlib, where no ``obj._name`` is read but their own tags.
MATPLOTLIB_LAYERS = {"plotting", "views"}
OWN_TAG = "_jacviz_"  # an attribute jacviz sets on a matplotlib object of its own


def _private_module(name):
    parts = name.split(".")
    return parts[0] == "matplotlib" and (
        name in PRIVATE_MODULES or any(part.startswith("_") for part in parts[1:])
    )


def _private_uses(path):
    """Every use of private matplotlib API in a file, as short descriptions."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    layer = _layer(path)
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (f"import {a.name}" for a in node.names if _private_module(a.name))
        elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
            if _private_module(node.module):
                yield f"from {node.module} import"
            elif node.module.split(".")[0] == "matplotlib":
                for alias in node.names:
                    name = alias.name
                    if _private_module(f"{node.module}.{name}") or name in PRIVATE_NAMES:
                        yield f"from {node.module} import {name}"
        elif isinstance(node, ast.Attribute):
            name = node.attr
            if name in PRIVATE_NAMES:
                yield f".{name}"
            elif layer in MATPLOTLIB_LAYERS and _foreign_private(node):
                yield f"{ast.unparse(node.value)}.{name}"
        elif (
            isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name in PRIVATE_NAMES
        ):
            yield f"def {node.name}"


def _foreign_private(node):
    """``obj._name`` read on something other than ``self``/``cls``, not one of jacviz's tags."""
    name = node.attr
    if not name.startswith("_") or name.startswith("__") or name.startswith(OWN_TAG):
        return False
    return not (isinstance(node.value, ast.Name) and node.value.id in {"self", "cls"})


def _in_fast_path(path):
    return path.relative_to(PACKAGE).parts[: len(FAST_PATH)] == FAST_PATH


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_private_matplotlib_api_only_in_the_fast_path(path):
    """Only ``jacviz/plotting/_fast/`` may touch matplotlib's private API (one door, one switch)."""
    if _in_fast_path(path):
        return
    found = list(_private_uses(path))
    assert not found, f"{path.name} uses private matplotlib API outside plotting/_fast: {found}"


def test_the_fast_path_is_where_the_private_api_is():
    """The check looks at real code: the fast path does use what the list names."""
    used = {use for path in MODULES if _in_fast_path(path) for use in _private_uses(path)}
    assert {".draw_text_image", ".get_hinting_flag", "def make_image", "def _init_axis"} <= used


def test_the_checker_sees_private_api_outside_the_fast_path(tmp_path, monkeypatch):
    """Planted uses are reported outside ``plotting/_fast`` and allowed inside it."""
    fake = tmp_path / "jacviz"
    code = (
        "import matplotlib._mathtext\n"
        "from matplotlib import ft2font\n"
        "from matplotlib.backends.backend_agg import get_hinting_flag\n"
        "def draw(renderer, ax):\n"
        "    renderer._renderer.draw_text_image(None, 0, 0, 0, None)\n"
        "    ax._jacviz_view = ax.xaxis._gridOnMajor\n"
        "class Image:\n"
        "    def make_image(self, renderer):\n"
        "        return self._cached\n"
    )
    for folder in (fake / "plotting", fake / "plotting" / "_fast"):
        folder.mkdir(parents=True)
        (folder / "_bad.py").write_text(code)
    monkeypatch.setattr(__import__(__name__), "PACKAGE", fake)
    outside = fake / "plotting" / "_bad.py"
    assert sorted(_private_uses(outside)) == sorted(
        [
            "import matplotlib._mathtext",
            "from matplotlib import ft2font",
            "from matplotlib.backends.backend_agg import get_hinting_flag",
            "def make_image",
            "._renderer",
            ".draw_text_image",
            "ax.xaxis._gridOnMajor",
        ]
    )
    with pytest.raises(AssertionError, match="uses private matplotlib API outside plotting/_fast"):
        test_private_matplotlib_api_only_in_the_fast_path(outside)
    test_private_matplotlib_api_only_in_the_fast_path(fake / "plotting" / "_fast" / "_bad.py")


def test_the_checker_sees_a_wrong_way_import(tmp_path, monkeypatch):
    """The walker itself works: a planted wrong-way import is reported."""
    fake = tmp_path / "jacviz"
    fake.mkdir()
    bad = fake / "plotting.py"
    bad.write_text("def f():\n    from jacviz.jacobians import batch_jacobian\n")
    monkeypatch.setattr(__import__(__name__), "PACKAGE", fake)
    with pytest.raises(AssertionError, match=r"imports jacviz\.jacobians"):
        test_imports_point_one_way(bad)
