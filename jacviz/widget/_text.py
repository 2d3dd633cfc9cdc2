"""The explorer's words as HTML: status line, error area, tables -- no widgets.

Layer: widget (private). Imports the standard library and numpy only.

Every piece of user text (the formula, messages that quote it) goes through
:func:`html.escape` here, so a formula like ``x < 1 <b>`` shows as typed.
"""

import html

import numpy as np

MONOSPACE = "font-family: var(--jp-code-font-family, monospace)"
#: Most cells written in the values table before it is cut short.
MAX_TABLE_CELLS = 16384
#: Longest formula written in full in a table cell (the tooltip has all of it).
MAX_FORMULA_CHARS = 160
#: Characters of the offending line shown on each side of the error caret.
CARET_CONTEXT = 60
#: Longest message written in full (one that quotes a huge input is cut).
MAX_MESSAGE_CHARS = 2000
NOTE_STYLE = "color: #a15c00"
STALE_STYLE = "color: #b00020; font-weight: bold"
#: Tables: cells apart from each other (headers never run together), never wrapped.
TABLE_STYLE = (
    "border-collapse: separate; border-spacing: 0.8em 1px; white-space: nowrap; margin-bottom: 6px"
)


def derivative_name(order):
    """Return the symbol of the result for an order: ``"J"``, ``"H"`` or ``"full J"``.

    Examples
    --------
    >>> [derivative_name(order) for order in (1, 2, "full")]
    ['J', 'H', 'full J']
    """
    return {1: "J", 2: "H"}.get(order, "full J")


def status_html(x, y, result, order, render_count, notes=(), info=()):
    r"""Write the status line: the shapes of ``x (B, n)``, ``y (B, *out)`` and ``result``.

    Then ``render #<render_count>``, and a line for each of ``info`` (facts
    about the view) and ``notes`` (warnings).

    Examples
    --------
    >>> x = np.ones((2, 2))
    >>> text = status_html(x, x, np.ones((2, 2, 2)), 1, 3, info=["det J[0] = 1"])
    >>> "x (2, 2) → y (2, 2) · J (2, 2, 2)" in text, "render #3" in text, "det J[0]" in text
    (True, True, True)
    """
    shapes = (
        f"x {x.shape} → y {y.shape} · {derivative_name(order)} {result.shape}"
        f" · <span class='jacviz-render-count'>render #{render_count}</span>"
    )
    lines = [f"<span style='{MONOSPACE}'>{shapes}</span>"]
    lines += [f"<span class='jacviz-info'>{html.escape(line)}</span>" for line in info]
    lines += [
        f"<span class='jacviz-note' style='{NOTE_STYLE}'>⚠ {html.escape(note)}</span>"
        for note in notes
    ]
    return "<br>\n".join(lines)  # a newline too: the lines stay apart in textContent


def live_html(text):
    """Wrap the status line ``text`` in a polite live region: a screen reader says news.

    Examples
    --------
    >>> live_html("render #3")
    "<div role='status' aria-live='polite'>render #3</div>"
    """
    return f"<div role='status' aria-live='polite'>{text}</div>"


def stale_html(state):
    """Write the line that says the picture shows the last good ``state``.

    Why the current input fails is said once, in the error area above the
    picture (its alert region); no symbol that needs an emoji font.

    Examples
    --------
    >>> print(stale_html("f(x) = x**3, x (2, 2), 1st order"))
    <span class='jacviz-stale' ...>out of date: the picture and the numbers show the last good
    state (f(x) = x**3, x (2, 2), 1st order); the error above says what fails now.</span>
    """
    return (
        f"<span class='jacviz-stale' style='{STALE_STYLE}'>out of date: the picture and the "
        f"numbers show the last good state ({html.escape(state)}); the error above says what "
        "fails now.</span>"
    )


def error_html(message, source=None, position=None):
    """Write the error area: the message, and the line of ``source`` with a caret at ``position``.

    All user text is escaped; the line is cut to ``CARET_CONTEXT`` characters
    either side of the caret, the message to ``MAX_MESSAGE_CHARS``.

    Examples
    --------
    >>> print(error_html("unknown function 'sine'", "sine(x)", 0))
    <div ...><b>Error:</b> unknown function &#x27;sine&#x27;<pre ...>sine(x)
    ^</pre></div>
    """
    parts = [f"<b>Error:</b> {html.escape(_shortened(message))}"]
    if source is not None and position is not None and 0 <= position <= len(source):
        line, column = _excerpt(source, position)
        caret = " " * column + "^"
        parts.append(f"<pre style='{MONOSPACE}; margin: 2px 0'>{html.escape(line)}\n{caret}</pre>")
    return f"<div role='alert' style='color: #b00020'>{''.join(parts)}</div>"


def _excerpt(source, position):
    """Return the line of ``source`` around ``position`` (at most ``CARET_CONTEXT`` each side).

    Returns the text and the caret's column in it; a cut is marked with ``…``.
    """
    line_start = source.rfind("\n", 0, position) + 1
    line_end = source.find("\n", position)
    line_end = len(source) if line_end < 0 else line_end
    start = max(line_start, position - CARET_CONTEXT)
    end = min(line_end, position + CARET_CONTEXT)
    before = "…" if start > line_start else ""
    after = "…" if end < line_end else ""
    return before + source[start:end] + after, len(before) + position - start


def _shortened(message):
    """Cut a message that quotes user text to ``MAX_MESSAGE_CHARS`` characters."""
    if len(message) <= MAX_MESSAGE_CHARS:
        return message
    return message[: MAX_MESSAGE_CHARS - 1] + "…"


def values_html(result, x, order, formulas=None):
    """Write the numbers of ``result`` as HTML tables: one per example (one for "full").

    ``result`` is ``jac (B, m, n)``, ``hess (B, m, n, n)`` or ``full (B, m, B, n)``
    with one example's outputs flattened; ``formulas`` (rows ``(m, n)``, order 1)
    add a formulas table and each number's tooltip, or are a note why not.

    Examples
    --------
    >>> jac = np.array([[[48.0, 0.0], [0.0, 12.0]]])
    >>> formulas = [["3*x[0]**2", "0"], ["0", "3*x[1]**2"]]
    >>> text = values_html(jac, np.array([[4.0, 2.0]]), 1, formulas)
    >>> "example 0" in text, "<td title='3*x[0]**2'>48</td>" in text, "<th>∂f_1</th>" in text
    (True, True, True)
    """
    listed = len(result) if order == "full" else MAX_TABLE_CELLS // max(result[0].size, 1)
    if result.size > MAX_TABLE_CELLS and (order == "full" or not listed):
        return _note(
            f"{result.size} numbers: more than the {MAX_TABLE_CELLS} this table lists. "
            "Fewer examples or outputs, or the per-example view, bring them back here."
        )
    if order == "full":
        rows, cols = _full_labels(result.shape)
        return _table("full Jacobian", rows, cols, result.reshape(len(rows), len(cols)))
    titles = formulas if order == 1 and isinstance(formulas, list) else None
    tables = [
        _example_tables(block, x[b], b, order, titles) for b, block in enumerate(result[:listed])
    ]
    left = _left_out(len(result), listed, result[0].size)
    return _formulas_part(formulas, result.shape, order) + "".join(tables) + left


def _left_out(batch_size, listed, per_example):
    """Say which examples a table too long to list whole leaves out ("" when none)."""
    if listed >= batch_size:
        return ""
    return _note(
        f"Examples {listed} to {batch_size - 1} are not listed: {per_example} numbers each, "
        f"and this table lists up to {MAX_TABLE_CELLS}. Fewer examples bring them here."
    )


def fd_html(check):
    """Write the finite-difference cross-check (``_compute.FiniteDifferenceCheck``) or its note.

    Examples
    --------
    >>> from jacviz.widget._compute import FiniteDifferenceCheck
    >>> text = fd_html(FiniteDifferenceCheck(1, np.array([3e-10]), np.array([48.0])))
    >>> "<td>3e-10</td>" in text, "<td>48</td>" in text
    (True, True)
    """
    if isinstance(check, str):
        return _note(check)
    caption = (
        f"autodiff vs central finite differences (order {check.order}, over the finite "
        "entries): autodiff is exact up to rounding; finite differences carry truncation "
        "and round-off error"
    )
    rows = [f"example {b}" for b in range(len(check.error))]
    cols = ["max |autodiff − FD|", "max |autodiff|"]
    values = np.stack([check.error, check.scale], axis=1)
    return _table(caption, rows, cols, values, number=_short, css_class="jacviz-fd-table")


def _example_tables(block, x_b, b, order, titles=None):
    """Write one example's table(s): its Jacobian, or one Hessian per output."""
    caption = f"example {b}: x = [{', '.join(number_text(v) for v in x_b)}]"
    n = block.shape[-1]
    cols = [f"∂x_{j}" for j in range(n)]
    if order == 1:
        rows = [f"∂f_{i}" for i in range(block.shape[0])]
        return _table(caption, rows, cols, block, titles=titles)
    tables = [
        _table(f"{caption} · ∂²f_{i}", [f"∂x_{j}" for j in range(n)], cols, hess_i)
        for i, hess_i in enumerate(block)
    ]
    return "".join(tables)


def _formulas_part(formulas, shape, order):
    """Write the formulas table (order 1), or the note why there are no formulas."""
    if formulas is None:
        return ""
    if order != 1:
        return _note("formulas are shown for the 1st-order Jacobian")
    if isinstance(formulas, str):
        return _note(formulas)
    rows = [f"∂f_{i}" for i in range(shape[1])]
    cols = [f"∂x_{j}" for j in range(shape[2])]
    caption = "formula of each entry of J[b], the same for every example (also as tooltips)"
    return _table(caption, rows, cols, formulas, number=_formula, css_class="jacviz-formulas")


def _full_labels(shape):
    batch_size, m, _, n = shape
    rows = [f"∂f_{i}[{b}]" for b in range(batch_size) for i in range(m)]
    cols = [f"∂x_{j}[{c}]" for c in range(batch_size) for j in range(n)]
    return rows, cols


def _table(caption, rows, cols, values, number=None, titles=None, css_class="jacviz-values"):
    """Write a caption (a paragraph as wide as the output, not the table) and a spaced table.

    The caption is a ``<div>`` so that it may be wider than the table; the
    table is named by it (``aria-label``) for screen readers.
    """
    head = "".join(f"<th>{col}</th>" for col in cols)
    body = "".join(
        f"<tr><th>{row}</th>{_cells(line, number or number_text, titles and titles[r])}</tr>"
        for r, (row, line) in enumerate(zip(rows, values, strict=True))
    )
    return (
        f"<div class='jacviz-caption'>{caption}</div>"
        f"<table class='{css_class}' style='{MONOSPACE}; {TABLE_STYLE}' "
        f"aria-label='{html.escape(caption, quote=True)}'>"
        f"<tr><th></th>{head}</tr>{body}</table>"
    )


def _cells(line, number, titles=None):
    """Write the ``<td>`` cells of one row, each with its tooltip if ``titles`` are given."""
    if titles is None:
        return "".join(f"<td>{number(v)}</td>" for v in line)
    return "".join(
        f"<td title='{html.escape(title)}'>{number(v)}</td>"
        for v, title in zip(line, titles, strict=True)
    )


def _note(text):
    return f"<p class='jacviz-table-note' style='{NOTE_STYLE}'><i>{html.escape(text)}</i></p>"


def _formula(source):
    """Write a formula for a table cell: escaped, cut short when very long."""
    if len(source) > MAX_FORMULA_CHARS:
        source = source[: MAX_FORMULA_CHARS - 1] + "…"
    return html.escape(source)


def _short(value):
    """Two significant digits, for errors; NaN as "n/a"."""
    value = float(value)
    return "n/a" if np.isnan(value) else f"{value + 0.0:.2g}"


def number_text(value):
    """Write a number with four significant digits; NaN and inf by name; no ``-0``.

    Examples
    --------
    >>> [number_text(v) for v in (48.0, -0.0, 1 / 3, float("-inf"))]
    ['48', '0', '0.3333', '-inf']
    """
    value = float(value)
    if np.isnan(value):
        return "NaN"
    if np.isinf(value):
        return "inf" if value > 0 else "-inf"
    return f"{value + 0.0:.4g}"
