"""The explorer's words as HTML: status line, error area, values table -- no widgets.

Layer: widget (private). Imports the standard library and numpy only.

Every piece of user text (the formula, messages that quote it) goes through
:func:`html.escape` here, so a formula like ``x < 1 <b>`` shows as typed.
"""

import html

import numpy as np

MONOSPACE = "font-family: var(--jp-code-font-family, monospace)"
#: Most cells written in the values table before it is cut short.
MAX_TABLE_CELLS = 4096


def derivative_name(order):
    """Return the symbol of the result for an order: ``"J"``, ``"H"`` or ``"full J"``.

    Parameters
    ----------
    order : {1, 2, "full"}

    Returns
    -------
    str

    Examples
    --------
    >>> [derivative_name(order) for order in (1, 2, "full")]
    ['J', 'H', 'full J']
    """
    return {1: "J", 2: "H"}.get(order, "full J")


def status_html(x, y, result, order, render_count, notes=()):
    """Write the status line: shapes, render counter, notes (coupling, NaN, warnings).

    Parameters
    ----------
    x : numpy.ndarray, shape (B, n)
    y : numpy.ndarray, shape (B, *out)
    result : numpy.ndarray
        The derivative shown.
    order : {1, 2, "full"}
    render_count : int
        Shown as ``render #<render_count>``.
    notes : sequence of str, optional
        One line each, shown below the shapes with a warning sign.

    Returns
    -------
    str
        HTML.

    Examples
    --------
    >>> x = np.ones((2, 2))
    >>> text = status_html(x, x, np.ones((2, 2, 2)), 1, 3)
    >>> "x (2, 2) → y (2, 2) · J (2, 2, 2)" in text, "render #3" in text
    (True, True)
    """
    shapes = (
        f"x {x.shape} → y {y.shape} · {derivative_name(order)} {result.shape}"
        f" · <span class='jacviz-render-count'>render #{render_count}</span>"
    )
    lines = [f"<span style='{MONOSPACE}'>{shapes}</span>"]
    lines += [
        f"<span class='jacviz-note' style='color: #a15c00'>⚠ {html.escape(note)}</span>"
        for note in notes
    ]
    return "<br>".join(lines)


def error_html(message, source=None, position=None):
    """Write the error area: the message, and the formula with a caret at ``position``.

    Parameters
    ----------
    message : str
        What is wrong, for the user.
    source : str, optional
        The formula the error is about.
    position : int, optional
        0-based column in ``source`` to mark.

    Returns
    -------
    str
        HTML, with all user text escaped.

    Examples
    --------
    >>> print(error_html("unknown function 'sine'", "sine(x)", 0))
    <div ...><b>Error:</b> unknown function &#x27;sine&#x27;<pre ...>sine(x)
    ^</pre></div>
    """
    parts = [f"<b>Error:</b> {html.escape(message)}"]
    if source is not None and position is not None and 0 <= position <= len(source):
        line_start = source.rfind("\n", 0, position) + 1
        line_end = source.find("\n", position)
        line = source[line_start : None if line_end < 0 else line_end]
        caret = " " * (position - line_start) + "^"
        parts.append(f"<pre style='{MONOSPACE}; margin: 2px 0'>{html.escape(line)}\n{caret}</pre>")
    return f"<div style='color: #b00020'>{''.join(parts)}</div>"


def values_html(result, x, order):
    """Write the picture's numbers as HTML tables, one per example (one for "full").

    Parameters
    ----------
    result : numpy.ndarray
        ``jac (B, m, n)``, ``hess (B, m, n, n)`` or ``full (B, m, B, n)``, with
        the output axes already flattened to one (``m = 1`` for scalars).
    x : numpy.ndarray, shape (B, n)
    order : {1, 2, "full"}

    Returns
    -------
    str
        HTML.

    Examples
    --------
    >>> jac = np.array([[[48.0, 0.0], [0.0, 12.0]]])
    >>> text = values_html(jac, np.array([[4.0, 2.0]]), 1)
    >>> "example 0" in text, "<td>48</td>" in text, "<th>∂f_1</th>" in text
    (True, True, True)
    """
    if result.size > MAX_TABLE_CELLS:
        return f"<i>{result.size} numbers: too many to list; see the picture.</i>"
    if order == "full":
        rows, cols = _full_labels(result.shape)
        return _table("full Jacobian", rows, cols, result.reshape(len(rows), len(cols)))
    tables = [_example_tables(block, x[b], b, order) for b, block in enumerate(result)]
    return "".join(tables)


def _example_tables(block, x_b, b, order):
    """Write one example's table(s): its Jacobian, or one Hessian per output."""
    caption = f"example {b}: x = [{', '.join(_number(v) for v in x_b)}]"
    n = block.shape[-1]
    cols = [f"∂x_{j}" for j in range(n)]
    if order == 1:
        rows = [f"∂f_{i}" for i in range(block.shape[0])]
        return _table(caption, rows, cols, block)
    tables = [
        _table(f"{caption} · ∂²f_{i}", [f"∂x_{j}" for j in range(n)], cols, hess_i)
        for i, hess_i in enumerate(block)
    ]
    return "".join(tables)


def _full_labels(shape):
    batch_size, m, _, n = shape
    rows = [f"∂f_{i}[{b}]" for b in range(batch_size) for i in range(m)]
    cols = [f"∂x_{j}[{c}]" for c in range(batch_size) for j in range(n)]
    return rows, cols


def _table(caption, rows, cols, values):
    head = "".join(f"<th>{col}</th>" for col in cols)
    body = "".join(
        f"<tr><th>{row}</th>{''.join(f'<td>{_number(v)}</td>' for v in line)}</tr>"
        for row, line in zip(rows, values, strict=True)
    )
    return (
        f"<table class='jacviz-values' style='{MONOSPACE}; margin-bottom: 6px'>"
        f"<caption style='text-align: left'>{caption}</caption>"
        f"<tr><th></th>{head}</tr>{body}</table>"
    )


def _number(value):
    """Four significant digits; NaN and inf by name; no ``-0``."""
    value = float(value)
    if np.isnan(value):
        return "NaN"
    if np.isinf(value):
        return "inf" if value > 0 else "-inf"
    return f"{value + 0.0:.4g}"
