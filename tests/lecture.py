"""A small lecture notebook, as a lecturer writes one, for the course-notes routes.

Markdown with maths, a ``plot_batch_jacobian`` and a ``plot_batch_hessian`` figure,
and an explorer that is shown and then changed in a later cell. The notebook
writes each explorer frame it wants checked (first and last) next to itself, so
a test can look for exactly those PNG bytes in an export.
"""

import base64
import pathlib
import re
import struct
from typing import NamedTuple

import nbformat

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
MARKDOWN = r"""# Lecture 3: Jacobians of a batch

For one example, $f(x) = x^3$ has the Jacobian
$$J_{ij} = 3 x_i^2 \delta_{ij}.$$
"""
FIGURES = """\
%matplotlib inline
import pathlib
import numpy as np
import jacviz

x = np.array([[1.0, 2.0], [3.0, 0.5]])
jacviz.plot_batch_jacobian(jacviz.batch_jacobian("x**3", x), x=x)
"""
HESSIAN = """\
jacviz.plot_batch_hessian(jacviz.batch_hessian("sin(x[0]) * x[1]", x), x=x)
"""
EXPLORER = """\
explorer = jacviz.explore("x**3", [[1.0, 2.0, 0.5], [0.0, 1.0, 3.0]])
_ = pathlib.Path("first_frame.png").write_bytes(explorer.image.value)
explorer
"""
CHANGE = """\
explorer.function = "softmax(x)"
assert explorer.error == "", explorer.error
_ = pathlib.Path("last_frame.png").write_bytes(explorer.image.value)
"""
SNAPSHOT = """\
explorer.snapshot()
"""


class Frames(NamedTuple):
    """The explorer's first and last frames, as the notebook wrote them."""

    first: bytes
    last: bytes


def write_lecture(folder, *, snapshot=False):
    """Write ``lecture.ipynb`` into ``folder``; return its path.

    ``snapshot`` adds a last cell ``explorer.snapshot()`` (the still for print).
    """
    notebook = nbformat.v4.new_notebook()
    notebook.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    code = [FIGURES, HESSIAN, EXPLORER, CHANGE] + ([SNAPSHOT] if snapshot else [])
    notebook.cells = [nbformat.v4.new_markdown_cell(MARKDOWN)]
    notebook.cells += [nbformat.v4.new_code_cell(source) for source in code]
    path = pathlib.Path(folder) / "lecture.ipynb"
    nbformat.write(notebook, path)
    return path


def frames(folder):
    """The frames the executed lecture wrote into ``folder``."""
    folder = pathlib.Path(folder)
    return Frames(
        (folder / "first_frame.png").read_bytes(), (folder / "last_frame.png").read_bytes()
    )


def png_size(data):
    """(width, height) from the IHDR chunk, independent of any image library."""
    assert data[:8] == PNG_SIGNATURE
    return struct.unpack(">II", data[16:24])


DATA_PNG = re.compile(r"data:image/png;base64,([A-Za-z0-9+/=]+)")


def inline_pngs(text):
    """Every PNG inlined in an HTML page as a ``data:`` URL, decoded."""
    return [base64.b64decode(match) for match in DATA_PNG.findall(text)]
