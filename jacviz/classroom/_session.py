"""One student's explorer on the class server, with the lean view cache.

Layer: classroom. No Solara here: :mod:`._page` shows what this makes.
"""

import os

from jacviz.app import FUNCTION_ENV
from jacviz.widget import JacobianExplorer

#: Views each session's renderer keeps: the one on screen, and older ones while all fit in
#: 4 MB. A class server holds one explorer per student; a kept view costs its figure, canvas
#: and background (~1-5 MB), so the large ones are built again. Keeping the small views a
#: student toggles between (order 1 and 2, a batch size back and forth) cut the server's CPU
#: at 200 students (edit p95 4.8 -> 2.8 s) for ~1 MB more per student (benchmarks/README.md).
SESSION_VIEW_CACHE = {"cached_views": 1, "cache_bytes": 4 * 2**20}


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
