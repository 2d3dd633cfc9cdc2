"""The teaching notebooks run top to bottom and say what they claim.

Every notebook under ``notebooks/`` is executed with nbclient in a fresh kernel
(widget state stored, as a teacher's saved notebook would hold it), with a check
cell after each Markdown cell's numbers (``notebook_claims``): every number the
prose states is recomputed in the lesson's own kernel. The seed numbers of the
GeeksforGeeks tutorial on ``tf.GradientTape.batch_jacobian`` are parsed back out
of 01's outputs and compared with values derived by hand (3x² and 6x), not with
jacviz's own output. The exercises' solutions run through the exercises' checker.
"""

import ast
import copy
import functools
import re
import time
import warnings
from pathlib import Path

import nbformat
import numpy as np
import pytest
from legibility import instrumented, records, shown
from nbclient import NotebookClient
from notebook_claims import (
    INJECTED,
    Claim,
    agrees,
    checked_values,
    claims,
    unchecked_numbers,
    with_checks,
)
from offline import offline_page

import jacviz
from jacviz.notes import MathsLeftAsTeX, export_html

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"
NAMES = sorted(path.name for path in NOTEBOOKS.glob("*.ipynb"))
EXPECTED = [
    "01_batch_jacobian_tour.ipynb",
    "02_second_order.ipynb",
    "03_when_examples_interact.ipynb",
    "04_classroom_exercises.ipynb",
    "04_solutions.ipynb",
    "05_forward_and_reverse_mode.ipynb",
    "06_jacobian_as_linear_map.ipynb",
    "07_jacobians_in_machine_learning.ipynb",
    "explorer_app.ipynb",
]
EXERCISES = 10
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
def executed_with_checks(tmp_path_factory):
    """Return ``name -> (executed notebook, seconds, [(claims, check cell index)])``.

    Each notebook runs once per session, with the check cells of ``with_checks`` and the
    figure measurements of ``legibility`` (a first and a last cell).
    """

    @functools.cache
    def run(name):
        nb, placed = with_checks(read(name))
        nb, placed = instrumented(nb), [(found, index + 1) for found, index in placed]
        start = time.perf_counter()
        execute(nb, tmp_path_factory.mktemp(Path(name).stem))
        return nb, time.perf_counter() - start, placed

    return run


@pytest.fixture(scope="session")
def executed(executed_with_checks):
    """Return a function ``name -> (executed notebook, seconds)``."""

    def run(name):
        nb, seconds, _ = executed_with_checks(name)
        return nb, seconds

    return run


def tagged(nb, tag):
    """Return the one code cell carrying ``tag`` in its metadata."""
    cells = [cell for cell in nb.cells if tag in cell.metadata.get("tags", [])]
    assert len(cells) == 1, f"expected one cell tagged {tag!r}, found {len(cells)}"
    return cells[0]


def printed(cell):
    """Return what one executed cell printed."""
    return "".join(out.text for out in cell.outputs if "text" in out)


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


@pytest.mark.parametrize("name", NAMES)
def test_b_is_only_ever_an_example(name):
    """``b`` indexes examples (loops, comprehensions); a bias is ``c`` (notation of 01)."""
    for source in code_sources(read(name)):
        tree = ast.parse(source)
        targets = [node.target for node in ast.walk(tree) if isinstance(node, ast.For)]
        targets += [
            gen.target for node in ast.walk(tree) for gen in getattr(node, "generators", [])
        ]
        loops = {id(name) for target in targets for name in ast.walk(target)}
        for node in ast.walk(tree):
            if isinstance(node, ast.Name) and node.id == "b" and isinstance(node.ctx, ast.Store):
                assert id(node) in loops, f"{name}: b assigned outside a loop over examples"
            if isinstance(node, ast.arg):
                assert node.arg != "b", f"{name}: a parameter named b"
            if isinstance(node, ast.Dict):
                keys = [key.value for key in node.keys if isinstance(key, ast.Constant)]
                assert "b" not in keys, f"{name}: a constant named b (a bias is c)"


def test_readme_lists_every_notebook():
    readme = (NOTEBOOKS.parent / "README.md").read_text()
    listed = re.findall(r"^\| `([^`]+\.ipynb)` \|", readme, re.M)
    assert listed == NAMES


# ------------------------------------------------------------ stated numbers


def test_a_check_pairs_with_the_number_just_before_it():
    text = (
        "the diagonal is $3 \\cdot 4^2 = 48$<!--= jac[0, 0, 0] -->, shape "
        "`(7, 6, 5)`<!--= jac.shape -->, a zero that prints as `6.12e-17`<!--= np.cos(h) -->"
    )
    assert claims(text) == [
        Claim("48", "jac[0, 0, 0]"),
        Claim("(7, 6, 5)", "jac.shape"),
        Claim("6.12e-17", "np.cos(h)"),
    ]
    with pytest.raises(ValueError, match="follows no number"):
        claims("the diagonal <!--= jac[0, 0, 0] -->")
    with pytest.raises(ValueError, match="computes nothing"):
        claims("the answer is 42<!--= 6 * 7 -->")


def test_a_number_in_prose_needs_a_check_unless_it_is_a_small_integer():
    text = (
        "## Section 12\nExample 0 has 3 inputs, radius 0.5, n = 128, 48<!--= a --> and "
        "`x = [[4, 2.5]]` (tensorflow#38428, [guide](https://x.org/v2/12))\n"
        "```python\nx = 1024\n```"
    )
    assert unchecked_numbers(text) == ["0.5", "128"]


@pytest.mark.parametrize(
    ("stated", "value", "verdict"),
    [
        ("48", 48.0, True),
        ("48", 48.4, True),  # "48" states the nearest integer
        ("48", 48.6, False),
        ("−1", -1.0, True),
        ("0.333", 1 / 3, True),
        ("0.333", 0.3336, False),
        ("6.12e-17", 6.123233995736766e-17, True),
        ("6.12e-17", 6.2e-17, False),
        ("(7, 6, 5)", [7, 6, 5], True),
        ("(7, 6, 5)", [7, 5, 6], False),
        ("48", [48.0], False),  # an array is not a number
        ("1", True, False),
    ],
)
def test_a_stated_number_agrees_at_the_precision_it_is_written(stated, value, verdict):
    assert agrees(stated, value) is verdict


def test_checks_run_after_the_next_code_cell():
    nb = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_markdown_cell("y is 4<!--= y -->"),
            nbformat.v4.new_code_cell("y = 2 + 2"),
            nbformat.v4.new_markdown_cell("and 5<!--= y + 1 -->"),
        ]
    )
    checked, placed = with_checks(nb)
    assert [cell.cell_type for cell in checked.cells] == [
        "markdown",
        "code",
        "code",
        "markdown",
        "code",
    ]
    assert [index for _, index in placed] == [2, 4]
    assert checked.cells[2].metadata.tags == [INJECTED]
    assert len(nb.cells) == 3  # the original is left alone


@pytest.mark.parametrize("name", NAMES)
def test_every_number_the_prose_states_carries_a_check(name):
    for cell in read(name).cells:
        if cell.cell_type == "markdown":
            claims(cell.source)  # raises for a check that follows no number
            assert unchecked_numbers(cell.source) == [], f"{name}: {cell.source[:70]!r}"


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
    views = [out for out in outputs if WIDGET_VIEW in out.get("data", {})]
    pictures = [out for out in outputs if "image/png" in out.get("data", {}) and out not in views]
    assert len(pictures) == 4  # Jacobian, Hessian, two full Jacobians (seed, TensorFlow's guide)
    assert len(views) == 1
    assert "image/png" in views[0]["data"]  # the explorer's still, for routes without widgets
    models = nb.metadata.widgets[WIDGET_STATE]["state"].values()
    names = {model["model_name"] for model in models}
    assert {"ImageModel", "HTMLModel", "BoundedIntTextModel", "RadioButtonsModel"} <= names
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


@pytest.mark.parametrize("name", NAMES)
def test_every_number_the_prose_states_is_recomputed(name, executed_with_checks):
    nb, _, placed = executed_with_checks(name)
    for found, index in placed:
        for claim, value in zip(found, checked_values(nb.cells[index]), strict=True):
            assert agrees(claim.stated, value), (
                f"{name}: says {claim.stated}, {claim.expr} = {value}"
            )


@pytest.mark.parametrize("name", NAMES)
def test_every_figure_shows_as_a_picture(name, executed):
    nb, _ = executed(name)
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            if data.get("text/plain", "").startswith("<Figure"):
                assert "image/png" in data, f"{name}: a figure shown as text: {cell.source[:50]!r}"


SHOWN = """() => ({
    images: [...document.images].map(img => img.complete && img.naturalWidth > 0),
    maths: [...document.querySelectorAll('svg.jacviz-maths')].map(svg =>
        svg.getAttribute('role') === 'img' && svg.getAttribute('aria-label') !== ''
        && svg.getBoundingClientRect().width > 0),
    tex: document.querySelectorAll('.jacviz-tex').length,
})"""


@pytest.mark.browser
@pytest.mark.parametrize("name", NAMES)
def test_notebook_is_one_offline_page_with_jacviz_html(name, executed, browser, tmp_path):
    """``jacviz html --no-execute`` of the executed notebook, opened with the network cut off."""
    path = tmp_path / name
    nbformat.write(copy.deepcopy(executed(name)[0]), path)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", MathsLeftAsTeX)
        page_path = export_html(path, tmp_path / "page.html", execute=False)
    left = [w for w in caught if issubclass(w.category, MathsLeftAsTeX)]
    with offline_page(browser, page_path) as (page, blocked):
        shown = page.evaluate(SHOWN)
    assert blocked == []
    assert all(shown["images"])  # figures and explorer stills, where the notebook has them
    assert all(shown["maths"])
    # every formula is drawn, or left as TeX and named in the one warning
    assert shown["tex"] == (int(str(left[0].message).split()[0]) if left else 0)
    if name != "explorer_app.ipynb":  # the app notebook has no Markdown maths
        assert len(shown["maths"]) > 2 * shown["tex"]  # most are drawn
    print(f"{name}: {len(shown['maths'])} formulas drawn, {shown['tex']} left as TeX")


#: A cell's output area in JupyterLab 4 at 1024 × 768 with the file browser closed (Ctrl+B),
#: measured in Chromium: 844 CSS px (592 with it open). A wider picture is scaled down to it.
PROJECTED_AREA = 844
#: The smallest text a projected lesson figure may show, in CSS px (JupyterLab's own
#: smallest UI text is 11 px; matplotlib's default 10 pt at 100 dpi is 13.9 px).
SMALLEST_PROJECTED_TEXT = 11
LESSONS = [name for name in NAMES if name[:2].isdigit()]


@pytest.mark.parametrize("name", LESSONS)
def test_lesson_figures_are_legible_projected_at_1024_by_768(name, executed):
    nb, _ = executed(name)
    shows = [cell for cell in nb.cells for out in cell.get("outputs", []) if _is_figure(out)]
    found = records(nb)
    assert len(found) == len(shows), f"{name}: a figure was shown unmeasured"
    for record in found:
        width, texts = shown(record, PROJECTED_AREA)
        assert texts, f"{name}: a figure without text was measured: {record}"
        size, text = min(texts)
        assert size >= SMALLEST_PROJECTED_TEXT, (
            f"{name}: {text!r} is {size:.1f} px in a picture shown {width:.0f} px wide"
        )


def _is_figure(out):
    """Whether an output is a picture that is not an explorer's (a widget's) still."""
    data = out.get("data", {})
    return "image/png" in data and WIDGET_VIEW not in data


# ---------------------------------------------------------------- exercises

EXERCISE_BOOK = "04_classroom_exercises.ipynb"
SOLUTION_BOOK = "04_solutions.ipynb"


def exercise_cells(name):
    """The checker, the warm-up and each exercise's cell, by tag."""
    return {
        tag: cell.source
        for cell in read(name).cells
        for tag in cell.metadata.get("tags", [])
        if tag in ("checker", "warm-up") or tag.startswith("exercise-")
    }


def test_solutions_are_the_exercises_with_the_answers_filled_in():
    exercises, solutions = exercise_cells(EXERCISE_BOOK), exercise_cells(SOLUTION_BOOK)
    numbers = range(1, EXERCISES + 1)
    assert (
        exercises.keys()
        == solutions.keys()
        == {"checker", "warm-up"} | {f"exercise-{k}" for k in numbers}
    )
    assert exercises["checker"] == solutions["checker"]
    assert exercises["warm-up"] == solutions["warm-up"]
    for k in numbers:
        asked = exercises[f"exercise-{k}"].splitlines()
        answered = solutions[f"exercise-{k}"].splitlines()
        differ = [
            (line, other) for line, other in zip(asked, answered, strict=True) if line != other
        ]
        assert len(differ) == 1, f"exercise {k}: the cells differ beyond the answer"
        ((question, solution),) = differ
        assert question == f"answer_{k} = None"
        assert solution.startswith(f"answer_{k} = ") and solution != question


def test_exercises_start_unanswered_and_reveal_nothing(executed):
    nb, _ = executed(EXERCISE_BOOK)
    printed_text = stream_text(nb)
    assert printed_text.count("no answer yet") == EXERCISES
    assert printed_text.count("right!") == 1  # the solved warm-up
    assert "✗" not in printed_text
    hints = [cell for cell in nb.cells if "<summary><b>Hint</b></summary>" in cell.source]
    assert len(hints) == EXERCISES


def test_every_solution_checks_out(executed):
    nb, _ = executed(SOLUTION_BOOK)
    for k in range(1, EXERCISES + 1):
        assert printed(tagged(nb, f"exercise-{k}")).strip() == f"✓ exercise {k}: right!"
    assert "✗" not in stream_text(nb)


def test_exercise_checker_gives_a_hint_before_any_true_value(tmp_path):
    truth = "np.array([[[4.25, 0.0], [-0.0, 1.5]]])"
    probes = [
        f"check(1, {truth}, {truth})",  # right
        f"check(2, [[[4, 0], [0, 1.5]]], {truth})",  # one entry off: the first miss
        f"check(2, [[[4, 0], [0, 1.5]]], {truth})",  # the second miss
        f"check(3, [[4.25, 0], [0, 1.5]], {truth})",  # the batch axis missing
        "check(4, [[[1, 4], [1, 3]]], [[[1, 1], [4, 3]]])",  # rows and columns swapped
        "check(5, [[[-0.0, 1]]], [[[3, 1]]])",
        "check(5, [[[-0.0, 1]]], [[[3, 1]]])",  # the student's -0 shown as 0
        "check(6, [[[1.0]]], [[[-0.0]]])",
        "check(6, [[[1.0]]], [[[-0.0]]])",  # a true -0 shown as 0
        "check(7, None, np.eye(2))",
    ]
    nb = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_code_cell(source)
            for source in [tagged(read(EXERCISE_BOOK), "checker").source, *probes]
        ],
        metadata={
            "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}
        },
    )
    execute(nb, tmp_path)
    said = [printed(cell) for cell in nb.cells[1:]]
    assert said[0] == "✓ exercise 1: right!\n"
    assert said[1].startswith("✗ exercise 2") and "(0, 0, 0)" in said[1]
    assert "4.25" not in said[1] and "hint" in said[1]
    assert "you said 4; the true value is 4.25" in said[2]
    assert "(2, 2)" in said[3] and "(1, 2, 2)" in said[3] and "batch axis comes first" in said[3]
    assert "rows and columns are swapped" in said[4]
    assert "you said 0; the true value is 3" in said[6]
    assert "you said 1; the true value is 0." in said[8]
    assert all("-0" not in text for text in said)
    assert "no answer yet" in said[9]


# ------------------------------------------------------------------ timings

TIMED = {  # notebook: (a line it prints per measurement, how many)
    "05_forward_and_reverse_mode.ipynb": (
        r"n = +\d+, m = +\d+: +forward +(?P<a>[\d.]+) ms +reverse +(?P<b>[\d.]+) ms",
        8,
    ),
    "07_jacobians_in_machine_learning.ipynb": (
        r"n = +\d+: +form H +(?P<a>[\d.]+) ms .* one H v +(?P<b>[\d.]+) ms",
        5,
    ),
}


@pytest.mark.parametrize("name", list(TIMED))
def test_timings_are_measured_when_the_lesson_runs(name, executed):
    pattern, count = TIMED[name]
    nb, _ = executed(name)
    found = [match.groupdict() for match in re.finditer(pattern, stream_text(nb))]
    assert len(found) == count
    assert all(float(value) > 0 for row in found for value in row.values())
