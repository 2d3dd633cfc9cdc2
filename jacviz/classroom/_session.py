"""One student's explorer on the class server: a lean view cache and the process's shared pool.

Layer: classroom. No Solara here: :mod:`._page` shows what this makes.
"""

import functools
import os

from jacviz.app import FUNCTION_ENV
from jacviz.plotting import ViewPool
from jacviz.widget import JacobianExplorer

#: Views each session's renderer keeps between pictures: none. A view (figure, canvas and
#: background, ~1-5 MB) is needed only while a picture is drawn and encoded, so each
#: session borrows one from the process's pool (:func:`class_pool`) per picture -- the one
#: it gave back last, if nobody took it since -- and the class shares as many views as it
#: draws at once instead of holding one per student. 200 students in one process, in time
#: order: 5 views built instead of 385, CPU per edit 8.2 -> 3.8 ms, 2.6 -> 1.0 million
#: objects for the garbage collector (bench_class_server.py --mix 200).
SESSION_VIEW_CACHE = {"cached_views": 0, "cache_bytes": 0}
#: Bytes of idle views all sessions share at most. A view takes ~0.1 s of CPU to build and
#: a few milliseconds to refill, and a class needs a handful of structures (the order, the
#: batch size): 200 students in one process need ~7 MB of views, where each session
#: keeping 4 MB of its own needed 1.8 GB of RSS (bench_class_server.py --mix).
CLASS_POOL_BYTES = 96 * 2**20


@functools.cache
def class_pool():
    """Return this process's one :class:`jacviz.plotting.ViewPool`, shared by all sessions.

    Examples
    --------
    >>> class_pool() is class_pool(), class_pool().max_bytes == CLASS_POOL_BYTES
    (True, True)
    """
    return ViewPool(CLASS_POOL_BYTES)


def new_explorer(function=None, view_cache=None):
    """Return the explorer of one session: the lean view cache, the shared pool.

    Parameters
    ----------
    function : str, optional
        First formula; ``$JACVIZ_APP_FUNCTION``, else the explorer's default.
    view_cache : Mapping, optional
        Handed to :class:`jacviz.JacobianExplorer`; :data:`SESSION_VIEW_CACHE`
        with :func:`class_pool` when omitted (``{}``: the explorer's own
        defaults, the benchmark's baseline).

    Returns
    -------
    jacviz.JacobianExplorer

    Examples
    --------
    >>> new_explorer("sin(x)").function
    'sin(x)'
    """
    function = function or os.environ.get(FUNCTION_ENV) or "x**3"
    if view_cache is None:
        view_cache = {**SESSION_VIEW_CACHE, "pool": class_pool()}
    return JacobianExplorer(function, view_cache=view_cache)
