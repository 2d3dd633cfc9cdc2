"""The page Solara shows each browser session: one explorer of its own.

Layer: classroom. Solara renders :func:`Page` once per virtual kernel (one per
browser page), so every student gets a fresh :class:`jacviz.JacobianExplorer`;
the widgets it makes belong to that kernel alone (Solara keeps one widget
registry per kernel).
"""

import os

import solara

from jacviz.app import FUNCTION_ENV
from jacviz.widget import JacobianExplorer

#: Views each session's renderer keeps: only the one on screen. A class server holds one
#: explorer per student, and each kept view costs a figure, its canvas and a background
#: (~1.5-3 MB); going back to an earlier shape rebuilds its view instead.
SESSION_VIEW_CACHE = {"cached_views": 1, "cache_bytes": 0}


def new_explorer(function=None):
    """Return the explorer of one session, with the lean view cache of a class server.

    Parameters
    ----------
    function : str, optional
        First formula; ``$JACVIZ_APP_FUNCTION``, else the explorer's default.

    Returns
    -------
    jacviz.JacobianExplorer

    Examples
    --------
    >>> new_explorer("sin(x)").function
    'sin(x)'
    """
    function = function or os.environ.get(FUNCTION_ENV) or "x**3"
    return JacobianExplorer(function, view_cache=SESSION_VIEW_CACHE)


@solara.component
def Page():
    """Show this session's explorer (made on the first render, kept for the session)."""
    explorer = solara.use_memo(new_explorer, dependencies=[])
    solara.display(explorer)
