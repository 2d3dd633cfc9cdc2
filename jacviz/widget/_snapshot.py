"""``Snapshot``: the explorer's picture as it is now, for routes that run no widget JavaScript.

Layer: widget (private). Builds on :mod:`jacviz.notes` (the bundle) and numpy.

The explorer's own display carries one next to its widget view, like ipympl's
canvas: nbconvert to LaTeX/PDF, notebook viewers and HTML without stored widget
state show it instead of a repr. Its text alternative names the formula, the
shapes and the numbers of the picture.
"""

import pathlib

import numpy as np

from jacviz.notes import static_bundle
from jacviz.notes._static import plain_text
from jacviz.widget._text import derivative_name

#: Examples whose numbers the text alternative spells out (the rest are counted).
ALT_EXAMPLES = 4


def numbers_text(result, order):
    """Say the numbers of a result in words, the first :data:`ALT_EXAMPLES` examples in full.

    Parameters
    ----------
    result : numpy.ndarray or None
        ``jac (B, m, n)``, ``hess (B, m, n, n)`` or the full Jacobian ``(B, m, B, n)``.
    order : {1, 2, "full"}

    Returns
    -------
    str

    Examples
    --------
    >>> numbers_text(np.array([[[48.0, 0.0], [0.0, 12.0]]]), 1)
    'J[0] = [[48, 0], [0, 12]]'
    >>> numbers_text(np.zeros((6, 1, 1)), 1)
    'J[0] = [[0]]; J[1] = [[0]]; J[2] = [[0]]; J[3] = [[0]]; and 2 more examples'
    """
    if result is None:
        return "no picture yet"
    name = derivative_name(order)
    if order == "full":
        return f"{name} = {_numbers(result)}"
    parts = [f"{name}[{b}] = {_numbers(block)}" for b, block in enumerate(result[:ALT_EXAMPLES])]
    if len(result) > ALT_EXAMPLES:
        parts.append(f"and {len(result) - ALT_EXAMPLES} more examples")
    return "; ".join(parts)


def _numbers(array):
    """Write an array as nested lists of short numbers: ``[[48, 0], [0, 12]]``."""
    array = np.asarray(array)
    if array.ndim == 0:
        return f"{float(array) + 0.0:.4g}"  # + 0.0: no "-0"
    return "[" + ", ".join(_numbers(part) for part in array) + "]"


class Snapshot:
    """A still of the explorer: its PNG, formula and status lines, and a text alternative.

    Made by :meth:`JacobianExplorer.snapshot`; shows itself as a picture in any
    notebook, HTML page, LaTeX or PDF export.

    Attributes
    ----------
    png : bytes
        The picture.
    alt : str
        What it shows, in words and numbers.
    formula, status : str
        The formula line (TeX between ``$$``) and status line, as HTML.
    """

    def __init__(self, png, alt, formula="", status=""):
        self.png, self.alt, self.formula, self.status = bytes(png), alt, formula, status

    def _repr_mimebundle_(self, include=None, exclude=None):
        return static_bundle(self.png, alt=self.alt, formula=self.formula, status=self.status)

    def __repr__(self):
        return self._repr_mimebundle_()["text/plain"]

    def save(self, path):
        """Write the PNG to ``path``; return it as a :class:`pathlib.Path`."""
        path = pathlib.Path(path)
        path.write_bytes(self.png)
        return path


def alt_text(description, result, order, status):
    """Return the text alternative: what the picture shows, the shapes, then the numbers.

    Examples
    --------
    >>> alt_text("f(x) = x**3", np.array([[[3.0]]]), 1, "x (1, 1) → <b>render #2</b>")
    'f(x) = x**3. x (1, 1) → render #2. J[0] = [[3]]'
    """
    return f"{description}. {plain_text(status)}. {numbers_text(result, order)}"
