r"""The static picture of an explorer: one MIME bundle for routes without widget JavaScript.

Layer: notes (standard library only).

``image/png`` for LaTeX, PDF and notebook viewers, ``text/html`` (the formula
line, the picture with its ``alt`` text, the status line) for HTML pages, and
``text/plain`` saying what it is. The formula line is TeX between ``\[`` and
``\]`` in an element of class ``math``: the display delimiters MathJax 2,
MathJax 3 and KaTeX's auto-render all read by default, and the class Sphinx's
MathJax 3 set-up processes (it ignores the rest of the page), so whatever maths
engine the page loads typesets it. (The live widget writes ``$$ … $$``, which
JupyterLab's typesetter reads.)
"""

import base64
import html
import re

PNG = "image/png"
HTML = "text/html"
TEXT = "text/plain"
_TAG = re.compile(r"<[^>]*>")
_RENDER = re.compile(r"render #\d+")
_DISPLAY = re.compile(r"^\$\$(.*)\$\$$", re.DOTALL)


def formula_line(formula):
    r"""Return the formula line for static pages: ``$$ … $$`` becomes ``\[ … \]``.

    Examples
    --------
    >>> formula_line("$$f(x) = x^{3}$$")
    '<div class="math jacviz-formula-line">\\[f(x) = x^{3}\\]</div>'
    """
    tex = _DISPLAY.sub(r"\\[\1\\]", formula.strip())
    return f'<div class="math jacviz-formula-line">{tex}</div>'


def plain_text(markup):
    """Return the text a reader sees in a piece of HTML: tags dropped, entities decoded.

    Examples
    --------
    >>> plain_text("x (2, 2) → <span class='a'>render #3</span><br>⚠ a &lt; b")
    'x (2, 2) → render #3 ⚠ a < b'
    """
    return " ".join(html.unescape(_TAG.sub(" ", markup)).split())


def static_html(png, *, alt, formula="", status=""):
    """Write the explorer's static picture as HTML: formula line, image, status line.

    Parameters
    ----------
    png : bytes
        The picture (empty: no image, the text says so).
    alt : str
        The image's text alternative (plain text; escaped here).
    formula : str, optional
        The formula line as HTML with TeX in ``$$ … $$``, e.g. ``"$$f(x) = x^{3}$$"``.
    status : str, optional
        The status line as HTML (shapes, render count, notes).

    Returns
    -------
    str
        A ``<figure class="jacviz-static">`` with the PNG inline as a ``data:`` URL.

    Examples
    --------
    >>> page = static_html(b"PNG...", alt="J[0] = [[3]]", formula="$$f(x) = x^{3}$$")
    >>> page.splitlines()[1].startswith('<div class="math jacviz-formula-line">')
    True
    >>> 'alt="J[0] = [[3]]"' in page, "data:image/png;base64," in page
    (True, True)
    """
    lines = ['<figure class="jacviz-static" style="margin: 0">']
    if formula:
        lines.append(formula_line(formula))
    if png:
        data = base64.b64encode(png).decode("ascii")
        lines.append(
            f'<img class="jacviz-image" style="max-width: 100%" alt="{html.escape(alt)}" '
            f'src="data:image/png;base64,{data}">'
        )
    else:
        lines.append(f"<p>{html.escape(alt)}</p>")
    if status:
        lines.append(f'<figcaption class="jacviz-status">{status}</figcaption>')
    lines.append("</figure>")
    return "\n".join(lines)


def static_bundle(png, *, alt, formula="", status="", title="Jacobian explorer"):
    """Return the MIME bundle of a static picture: ``image/png``, ``text/html``, ``text/plain``.

    Parameters
    ----------
    png : bytes
        The picture; no ``image/png`` entry when empty.
    alt : str
        What the picture shows, in words and numbers (the image's ``alt``).
    formula, status : str, optional
        The formula and status lines as HTML (see :func:`static_html`).
    title : str, optional
        What the text alternative starts with.

    Returns
    -------
    dict
        MIME type -> data, as ``_repr_mimebundle_`` returns it (PNG base64-encoded).

    Examples
    --------
    >>> bundle = static_bundle(b"PNG", alt="J[0] = [[3]]", status="render #1")
    >>> sorted(bundle)
    ['image/png', 'text/html', 'text/plain']
    >>> bundle["text/plain"]
    'Jacobian explorer (static picture, render #1): J[0] = [[3]]'
    """
    render = _RENDER.search(plain_text(status))
    which = f"static picture, {render.group()}" if render else "static picture"
    bundle = {
        TEXT: f"{title} ({which}): {alt}",
        HTML: static_html(png, alt=alt, formula=formula, status=status),
    }
    if png:
        bundle[PNG] = base64.b64encode(png).decode("ascii")
    return bundle
