"""The teaching notebooks run top to bottom and say what they claim.

Every notebook under ``notebooks/`` is executed with nbclient in a fresh kernel
(widget state stored, as a teacher's saved notebook would hold it). The seed
numbers of the GeeksforGeeks tutorial on ``tf.GradientTape.batch_jacobian`` are
parsed back out of 01's outputs and compared with values derived by hand (3x²
and 6x), not with jacviz's own output.
"""

import ast
import functools
import re
import time
from pathlib import Path

import nbformat
import numpy as np
import pytest
from nbclient import NotebookClient

import jacviz

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"
NAMES = sorted(path.name for path in NOTEBOOKS.glob("*.ipynb"))
EXPECTED = [
    "01_batch_jacobian_tour.ipynb",
    "02_second_order.ipynb",
    "03_when_examples_interact.ipynb",
    "04_classroom_exercises.ipynb",
    "explorer_app.ipynb",
]
CELL_TIMEOUT = 120  # seconds; a hang guard, not a speed target
ARRAY_REPR = re.compile(r"^array\((?P<values>.*?)(?:,\s*dtype=(?P<dtype>\w+))?\)$", re.DOTALL)
SEED_X = np.array([[4, 2], [1, 3]], dtype=np.float32)
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def read(name):
    """Read a notebook from ``notebooks/``."""
    return nbformat.read(NOTEBOOKS / name, as_version=4)


def execute(nb, workdir):
    """Execute ``nb`` in a fresh python3 kernel running in ``workdir``; return it."""
    client = NotebookClient(
        nb,
        kernel_name="python3",
        timeout=CELL_TIMEOUT,
        store_widget_state=True,
        resources={"metadata": {"path": str(workdir)}},
    )
    client.execute()
    return nb


@pytest.fixture(scope="session")
def executed(tmp_path_factory):
    """Return a function ``name -> (executed notebook, seconds)``, each run once per session."""

    @functools.cache
    def run(name):
        start = time.perf_counter()
        nb = execute(read(name), tmp_path_factory.mktemp(Path(name).stem))
        return nb, time.perf_counter() - start

    return run


def tagged(nb, tag):
    """Return the one code cell carrying ``tag`` in its metadata."""
    cells = [cell for cell in nb.cells if tag in cell.metadata.get("tags", [])]
    assert len(cells) == 1, f"expected one cell tagged {tag!r}, found {len(cells)}"
    return cells[0]


def result_text(cell):
    """Return the text/plain of a cell's execute_result."""
    results = [out for out in cell.outputs if out.output_type == "execute_result"]
    assert results, f"cell has no result: {cell.source!r}"
    return results[0].data["text/plain"]


def stream_text(nb):
    """Return everything the notebook printed (stdout), cell after cell."""
    return "".join(
        out.text
        for cell in nb.cells
        for out in cell.get("outputs", [])
        if out.get("name") == "stdout"
    )


def parse_array_repr(text):
    """Turn numpy's ``array([...], dtype=...)`` text back into an array and a dtype name."""
    match = ARRAY_REPR.match(text.strip())
    assert match, f"not an array repr: {text!r}"
    values = np.array(ast.literal_eval(match.group("values")))
    return values, match.group("dtype") or "float64"


def code_sources(nb):
    """Return the code cells' sources with IPython magics (``%...``) removed."""
    return [
        "\n".join(line for line in cell.source.splitlines() if not line.startswith("%"))
        for cell in nb.cells
        if cell.cell_type == "code"
    ]


# ------------------------------------------------------------------- static


def test_every_notebook_of_the_course_is_there():
    assert NAMES == EXPECTED


@pytest.mark.parametrize("name", NAMES)
def test_notebook_is_saved_without_outputs(name):
    nb = read(name)
    nbformat.validate(nb)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [], f"{name}: saved outputs in {cell.source[:40]!r}"
            assert cell.execution_count is None
    assert "widgets" not in nb.metadata, f"{name}: saved widget state"
    assert nb.metadata.kernelspec.name == "python3"


@pytest.mark.parametrize("name", NAMES)
def test_notebook_uses_only_the_public_api(name):
    public = set(jacviz.__all__)
    for source in code_sources(read(name)):
        tree = ast.parse(source)
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and getattr(node.value, "id", None) == "jacviz":
                assert node.attr in public, f"{name}: jacviz.{node.attr} is not public"
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("jacviz"):
                assert node.module == "jacviz", f"{name}: imports from {node.module}"
                assert {alias.name for alias in node.names} <= public
        assert "pyplot" not in source, f"{name}: uses pyplot state"


# ---------------------------------------------------------------- executed


@pytest.mark.parametrize("name", NAMES)
def test_notebook_runs_top_to_bottom(name, executed):
    nb, seconds = executed(name)
    errors = [
        out for cell in nb.cells for out in cell.get("outputs", []) if out.output_type == "error"
    ]
    assert errors == []
    print(f"{name}: {seconds:.1f} s")


def test_tour_prints_the_seed_first_order(executed):
    nb, _ = executed("01_batch_jacobian_tour.ipynb")
    jac, dtype = parse_array_repr(result_text(tagged(nb, "seed-first-order")))
    by_hand = np.stack([np.diag(3 * x_b**2) for x_b in SEED_X])  # d(x³)/dx = 3x²
    seed = [[[48.0, 0.0], [0.0, 12.0]], [[3.0, 0.0], [0.0, 27.0]]]  # the tutorial's printout
    np.testing.assert_array_equal(jac, by_hand)
    np.testing.assert_array_equal(jac, seed)
    assert dtype == "float32"


def test_tour_prints_the_seed_second_order(executed):
    nb, _ = executed("01_batch_jacobian_tour.ipynb")
    hess, dtype = parse_array_repr(result_text(tagged(nb, "seed-second-order")))
    by_hand = np.zeros((2, 2, 2, 2))
    for b, i in np.ndindex(2, 2):
        by_hand[b, i, i, i] = 6 * SEED_X[b, i]  # d²(x³)/dx² = 6x
    seed = [
        [[[24.0, 0.0], [0.0, 0.0]], [[0.0, 0.0], [0.0, 12.0]]],
        [[[6.0, 0.0], [0.0, 0.0]], [[0.0, 0.0], [0.0, 18.0]]],
    ]
    np.testing.assert_array_equal(hess, by_hand)
    np.testing.assert_array_equal(hess, seed)
    assert dtype == "float32"


def test_tour_shows_pictures_and_a_live_explorer(executed):
    nb, _ = executed("01_batch_jacobian_tour.ipynb")
    outputs = [out for cell in nb.cells for out in cell.get("outputs", [])]
    pictures = [out for out in outputs if "image/png" in out.get("data", {})]
    views = [out for out in outputs if WIDGET_VIEW in out.get("data", {})]
    assert len(pictures) == 4  # Jacobian, Hessian, two full Jacobians (seed, TensorFlow's guide)
    assert len(views) == 1
    models = nb.metadata.widgets[WIDGET_STATE]["state"].values()
    names = {model["model_name"] for model in models}
    assert {"ImageModel", "HTMLModel", "IntSliderModel", "TextModel"} <= names
    texts = " ".join(str(model["state"].get("value", "")) for model in models)
    assert "render #1" in texts
    assert "(2, 2, 2)" in texts  # the status line names the Jacobian's shape


def test_second_order_checks_against_paper_all_pass(executed):
    nb, _ = executed("02_second_order.ipynb")
    verdicts = re.findall(r"(?:matches|equals)[^:\n]*: (\w+)", stream_text(nb))
    assert verdicts == ["True"] * 5


def test_interacting_examples_show_tensorflows_silent_wrong_answer(executed):
    nb, _ = executed("03_when_examples_interact.ipynb")
    printed = stream_text(nb)
    found = dict(
        re.findall(r"^(sum trick \(TensorFlow\)|jacviz, \S+):\s+\[([^\]]*)\]", printed, re.M)
    )
    assert {key: np.array(value.split(), dtype=float).tolist() for key, value in found.items()} == {
        "sum trick (TensorFlow)": [3.0, 3.0],  # 2 on the diagonal + 1 from the other example
        "jacviz, check='off'": [3.0, 3.0],
        "jacviz, default": [2.0, 2.0],  # the true diagonal blocks of [[2, 1], [1, 2]]
    }
    assert "BatchCouplingWarning:" in printed
    assert "BatchCouplingError:" in printed


def test_exercises_start_unanswered_and_all_solutions_check_out(executed):
    nb, _ = executed("04_classroom_exercises.ipynb")
    printed = stream_text(nb)
    assert printed.count("no answer yet") == 6
    solutions = "".join(out.text for out in tagged(nb, "solutions").outputs if "text" in out)
    assert solutions.count("✓ right!") == 6
    assert "✗" not in printed


def test_exercise_check_says_wrong_for_a_wrong_answer(tmp_path):
    helper = next(
        src for src in code_sources(read("04_classroom_exercises.ipynb")) if "def check" in src
    )
    probes = [
        "check([[[5, 0], [0, 5]]], np.full((1, 2, 2), 5.0) * np.eye(2))",  # right
        "check([[[5, 0], [0, 4]]], np.full((1, 2, 2), 5.0) * np.eye(2))",  # one entry off
        "check([[5, 0], [0, 5]], np.full((1, 2, 2), 5.0) * np.eye(2))",  # batch axis missing
        "check(None, np.eye(2))",
    ]
    nb = nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_code_cell(src) for src in [helper, *probes]],
        metadata={
            "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}
        },
    )
    execute(nb, tmp_path)
    printed = ["".join(out.text for out in cell.outputs if "text" in out) for cell in nb.cells[1:]]
    assert printed[0].startswith("✓ right")
    assert printed[1].startswith("✗ wrong") and "(0, 1, 1)" in printed[1]
    assert printed[2].startswith("✗ wrong") and "(2, 2)" in printed[2] and "(1, 2, 2)" in printed[2]
    assert "no answer yet" in printed[3]
