"""One student's explorer on the class server, with the lean view cache.

Layer: classroom. No Solara here: :mod:`._page` shows what this makes.
"""

import os

from jacviz.app import FUNCTION_ENV
from jacviz.widget import JacobianExplorer

#: Views each session's renderer keeps: only the one on screen. A class server holds one
#: explorer per student, and each kept view costs a figure, its canvas and a background
#: (~1.5-3 MB); going back to an earlier shape rebuilds its view instead.
SESSION_VIEW_CACHE = {"cached_views": 1, "cache_bytes": 0}


def new_explorer(function=None, view_cache=SESSION_VIEW_CACHE):
    """Return the explorer of one session, with the lean view cache of a class server.

    Parameters
    ----------
    function : str, optional
        First formula; ``$JACVIZ_APP_FUNCTION``, else the explorer's default.
    view_cache : Mapping or None, optional
        Handed to :class:`jacviz.JacobianExplorer`; None for its default (the
        benchmark's baseline).

    Returns
    -------
    jacviz.JacobianExplorer

    Examples
    --------
    >>> new_explorer("sin(x)").function
    'sin(x)'
    """
    function = function or os.environ.get(FUNCTION_ENV) or "x**3"
    return JacobianExplorer(function, view_cache=view_cache)
