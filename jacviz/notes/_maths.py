r"""Maths without MathJax: TeX drawn by matplotlib's mathtext as inline SVG.

Layer: notes. Imports the standard library, and matplotlib (``Figure`` and
``mathtext``, never pyplot) inside :func:`tex_svg` only.

``jacviz html`` (without ``--mathjax-url``) hands each formula of the Markdown
cells to :class:`MathsToSvg`: mathtext draws it with the Computer Modern fonts
matplotlib ships, glyphs as paths, so the page needs no font, no script and no
network. Each ``<svg>`` is sized in ``em`` (it follows the text around it),
sits on the text's baseline, and carries its TeX as its text alternative
(``role="img"``, ``aria-label`` and ``<title>``). A formula mathtext cannot
read (``\underbrace``, ``\operatorname*``, ...) stays as its TeX source, and is
counted in :attr:`MathsToSvg.left_as_tex`.
"""

import html
import io
import re

#: Points per em the formulas are laid out at: large, so the sizes in em keep 2 decimals.
SIZE = 100.0
#: Computer Modern's letters are smaller than the page's sans-serif ones at the same em.
ZOOM = 1.15
#: matplotlib settings: TeX's look, glyphs as paths (no font needed), reproducible ids.
STYLE = {"mathtext.fontset": "cm", "svg.fonttype": "path", "svg.hashsalt": "jacviz-maths"}
_PROLOGUE = re.compile(r"^.*?(?=<svg)", re.DOTALL)
_DROP = re.compile(r"<metadata>.*?</metadata>|<!--.*?-->", re.DOTALL)
_SIZE = re.compile(r'<svg ([^>]*?)width="[^"]*" height="[^"]*"')
_ID = re.compile(r'(id="|href="#|url\(#)([^")]+)')
#: TeX that mathtext spells otherwise (or not at all): its closest spelling.
SPELLINGS = {r"\lVert": r"\Vert", r"\rVert": r"\Vert", r"\tfrac": r"\frac", r"\dfrac": r"\frac"}
_LAST_SPACE = re.compile(r"(?<!\\)\\$")
_SIZED = re.compile(r"\\[bB]igg?[lr]?(?![a-zA-Z])")  # \bigl( ... \Bigr): mathtext has no sizes
#: ``\left( x \right)`` around plain text: mathtext draws such parentheses too small.
_PLAIN_PARENS = re.compile(r"\\left\(([^{}\\]*)\\right\)")
#: Small matrices: one ``\substack`` per column, between the environment's delimiters.
_MATRIX = re.compile(r"\\begin\{([pbvV]?matrix|cases)\}(.*?)\\end\{\1\}", re.DOTALL)
_FENCES = {
    "pmatrix": "()",
    "bmatrix": "[]",
    "vmatrix": "||",
    "Vmatrix": (r"\Vert", r"\Vert"),
    "cases": (r"\{", "."),
}
#: The formula line of an explorer's still (``_static.formula_line``).
_FORMULA_LINE = re.compile(r'<div class="math jacviz-formula-line">\\\[(.*?)\\\]</div>', re.DOTALL)


def mathtext_spelling(tex):
    r"""Return ``tex`` as mathtext reads it: one line, matrices as stacks, no ``\bigl``.

    Examples
    --------
    >>> mathtext_spelling(r"\begin{bmatrix} a \\ b \end{bmatrix} + \left\lVert x \right\rVert")
    '\\left[\\substack{a \\\\ b}\\right] + \\left\\Vert x \\right\\Vert'
    >>> mathtext_spelling("\\bigl(1 -\n y\\bigr)^2 + \\operatorname{tanh}\\left(x\\right)")
    '(1 - y)^2 + \\operatorname{tanh}(x)'
    >>> mathtext_spelling("(2,\\ ")
    '(2,'
    >>> mathtext_spelling(r"\begin{pmatrix} a & b \\ c & d \end{pmatrix}")
    '\\left(\\substack{a \\\\ c}\\ \\ \\substack{b \\\\ d}\\right)'
    """
    tex = _SIZED.sub("", " ".join(tex.split()))
    tex = _LAST_SPACE.sub("", tex)  # "\\ " at the end, now "\\": a space, nothing to draw
    tex = _PLAIN_PARENS.sub(r"(\1)", _MATRIX.sub(_stacked, tex))
    for spelled, mathtext in SPELLINGS.items():
        tex = tex.replace(spelled, mathtext)
    return tex


def _stacked(match):
    r"""Spell a matched ``\begin{pmatrix} a & b \\ c & d \end{pmatrix}`` with ``\substack``."""
    rows = [row.split("&") for row in re.split(r"\\\\", match.group(2)) if row.strip()]
    if len({len(row) for row in rows}) != 1:
        return match.group()  # ragged: left for mathtext to refuse
    stacks = (r" \\ ".join(entry.strip() for entry in column) for column in zip(*rows, strict=True))
    columns = [rf"\substack{{{stack}}}" for stack in stacks]
    left, right = _FENCES.get(match.group(1), ("", ""))
    body = (r"\quad " if match.group(1) == "cases" else r"\ \ ").join(columns)
    return rf"\left{left}{body}\right{right}" if left else body


def tex_svg(tex, *, prefix="m", display=False):
    r"""Draw the TeX ``tex`` (no delimiters) with mathtext; return an inline ``<svg>``.

    Parameters
    ----------
    tex : str
        One formula, e.g. ``"J_{ij} = 3 x_i^2"``.
    prefix : str, optional
        Put before every ``id`` in the SVG, so that many SVGs fit in one page.
    display : bool, optional
        Display maths: a block of its own, centred (else inline, on the baseline).

    Returns
    -------
    str
        ``<svg class="jacviz-maths" role="img" aria-label="TeX" ...>`` on one line.

    Raises
    ------
    ValueError
        If mathtext cannot read ``tex``.

    Examples
    --------
    >>> svg = tex_svg("x^3 < 1")
    >>> svg.startswith('<svg class="jacviz-maths" role="img" aria-label="x^3 &lt; 1"')
    True
    >>> "<title>x^3 &lt; 1</title>" in svg, "$" in svg
    (True, False)
    >>> tex_svg(r"\underbrace{x + y}_{n}")
    Traceback (most recent call last):
    ...
    ValueError: mathtext cannot read \underbrace{x + y}_{n}
    """
    import matplotlib
    from matplotlib.figure import Figure
    from matplotlib.font_manager import FontProperties
    from matplotlib.mathtext import MathTextParser

    source = f"${mathtext_spelling(tex.strip())}$"
    with matplotlib.rc_context(STYLE):
        prop = FontProperties(size=SIZE)  # takes its maths fonts from STYLE
        try:
            width, height, depth, *_ = MathTextParser("path").parse(source, dpi=72, prop=prop)
        except ValueError:
            raise ValueError(f"mathtext cannot read {tex.strip()}") from None
        figure = Figure(figsize=(max(width, 1) / 72, max(height, 1) / 72))
        figure.text(0, depth / max(height, 1), source, fontproperties=prop)
        out = io.StringIO()
        figure.savefig(out, format="svg", transparent=True, metadata={"Date": None})
    svg = _DROP.sub("", _PROLOGUE.sub("", out.getvalue()))
    svg = _ID.sub(lambda m: f"{m.group(1)}{prefix}-{m.group(2)}", svg)
    label = html.escape(tex.strip())
    em = f'width="{width * ZOOM / SIZE:.2f}em" height="{height * ZOOM / SIZE:.2f}em"'
    if display:
        style = "display: block; margin: 0.5em auto"
    else:
        style = f"display: inline; vertical-align: {-depth * ZOOM / SIZE:.2f}em"
    opening = f'<svg class="jacviz-maths" role="img" aria-label="{label}" style="{style}" '
    svg = _SIZE.sub(lambda m: f"{opening}{m.group(1)}{em}", svg, count=1)
    svg = svg.replace(">", f"><title>{label}</title>", 1)
    return " ".join(svg.split())


class MathsLeftAsTeX(UserWarning):
    """Some formulas of a page stayed TeX source: matplotlib's mathtext cannot read them."""


class MathsToSvg:
    r"""Turn the formulas of one page into inline SVG, and keep count.

    Call it with one formula's TeX and whether it is display maths; it returns
    the HTML to put in its place: the SVG of :func:`tex_svg`, or the TeX
    source between its delimiters (escaped) if mathtext cannot read it.

    Attributes
    ----------
    drawn : int
        Formulas drawn as SVG.
    left_as_tex : list of str
        The formulas (TeX) mathtext could not read, in page order.

    Examples
    --------
    >>> maths = MathsToSvg()
    >>> maths("x^2", display=False).startswith("<svg")
    True
    >>> maths(r"\underbrace{x}_{n}", display=True)
    '<span class="jacviz-tex">$$\\underbrace{x}_{n}$$</span>'
    >>> maths.drawn, maths.left_as_tex
    (1, ['\\underbrace{x}_{n}'])
    """

    def __init__(self):
        self.drawn = 0
        self.left_as_tex = []

    def __call__(self, tex, *, display):
        """Return the HTML of one formula (see the class docstring)."""
        try:
            svg = tex_svg(tex, prefix=f"jm{self.drawn}", display=display)
        except ValueError:
            self.left_as_tex.append(" ".join(tex.split()))
            fence = "$$" if display else "$"
            return f'<span class="jacviz-tex">{fence}{html.escape(tex, quote=False)}{fence}</span>'
        self.drawn += 1
        return svg

    def formula_lines(self, page):
        r"""Return ``page`` (HTML) with each explorer still's formula line drawn as SVG.

        Examples
        --------
        >>> MathsToSvg().formula_lines('<div class="math jacviz-formula-line">\\[x\\]</div>')[:58]
        '<div class="jacviz-formula-line"><svg class="jacviz-maths"'
        """

        def drawn(match):
            tex = html.unescape(match.group(1))
            svg = self(tex, display=True)
            if not svg.startswith("<svg"):
                return match.group()  # TeX, for whatever typesets the page
            return f'<div class="jacviz-formula-line">{svg}</div>'

        return _FORMULA_LINE.sub(drawn, page)
