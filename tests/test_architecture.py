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
    "expressions": {"errors"},
    "jacobians": {"errors", "expressions"},
    "presets": set(),
    "plotting": {"errors"},
    "views": {"errors", "expressions", "jacobians", "plotting"},
    "widget": {"errors", "expressions", "jacobians", "plotting", "presets", "views"},
    "app": set(),
    "cli": {"app"},
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
    "expressions": {"autograd"},
    "jacobians": {"numpy", "autograd"},
    "presets": {"numpy"},
    "plotting": {"numpy", "matplotlib", "isal"},  # isal: the PNG deflate (_png only)
    "views": {"numpy", "matplotlib"},
    "widget": {"numpy", "matplotlib", "ipywidgets", "IPython", "traitlets"},
    # app: jupyter-server's kernel manager (app/manager.py) and ipykernel (app/kernel.py)
    # run inside Voila and its kernels only; the rest of app and cli is standard library
    "app": {"jupyter_server", "tornado", "traitlets", "ipykernel"},
    "cli": set(),
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


def test_the_checker_sees_a_wrong_way_import(tmp_path, monkeypatch):
    """The walker itself works: a planted wrong-way import is reported."""
    fake = tmp_path / "jacviz"
    fake.mkdir()
    bad = fake / "plotting.py"
    bad.write_text("def f():\n    from jacviz.jacobians import batch_jacobian\n")
    monkeypatch.setattr(__import__(__name__), "PACKAGE", fake)
    with pytest.raises(AssertionError, match=r"imports jacviz\.jacobians"):
        test_imports_point_one_way(bad)
