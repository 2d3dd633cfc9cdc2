"""The one fast/plain switch of the process, probed once.

Layer: plotting. Imports matplotlib and the standard library only.

The fast path leans on matplotlib and FreeType calls that may change in any
minor release, so whether it runs is decided once per process, before the
first picture: :func:`drawing_switch` draws a tiny picture both ways
(:mod:`._probe`) and turns the fast path on only if the two agree. Setting
the environment variable ``JACVIZ_PLAIN_MATPLOTLIB=1`` forces the plain path.
If a fast call fails later anyway, the switch turns off with one warning and
every picture from then on is drawn by plain matplotlib: slower, never wrong.
The switch is the one piece of process-wide state of the plotting layer, on
purpose: a matplotlib that lacks the API lacks it for the whole process.
"""

import os
import warnings
from functools import cache

import matplotlib

#: Errors a changed matplotlib API raises in the fast path's calls.
API_ERRORS = (
    AttributeError,
    TypeError,
    ValueError,
    KeyError,
    IndexError,
    RuntimeError,
    NotImplementedError,
)
#: Set to ``1`` to draw every picture with plain matplotlib.
PLAIN_ENV = "JACVIZ_PLAIN_MATPLOTLIB"


class Switch:
    """Whether pictures are drawn the fast way or by plain matplotlib.

    Parameters
    ----------
    on : bool
        The fast path is used.
    strict : bool, optional
        A failing fast call raises instead of turning the switch off (the
        probe's own switch: a failure there means "plain").
    reason : str, optional
        Why the switch is off, for the curious.

    Examples
    --------
    >>> switch = Switch(True)
    >>> with warnings.catch_warnings(record=True):
    ...     switch.turn_off(KeyError("sTypoAscender"))
    >>> switch.on, switch.reason
    (False, "KeyError('sTypoAscender')")
    """

    def __init__(self, on, *, strict=False, reason=""):
        self.on, self.strict, self.reason = bool(on), strict, reason

    def __repr__(self):
        """Say which path draws, and why not the fast one."""
        return f"Switch(on={self.on}{', strict=True' if self.strict else ''}, {self.reason!r})"

    def turn_off(self, error):
        """Use plain matplotlib from now on and say so once (a strict switch re-raises)."""
        if self.strict:
            raise error
        if self.on:
            warnings.warn(
                f"jacviz: fast drawing failed with matplotlib {matplotlib.__version__} "
                f"({error!r}); drawing with plain matplotlib from now on (slower)",
                RuntimeWarning,
                stacklevel=3,
            )
        self.on, self.reason = False, repr(error)


@cache
def drawing_switch():
    """Return the process's :class:`Switch`, probed on the first call.

    Returns
    -------
    Switch

    Examples
    --------
    >>> drawing_switch() is drawing_switch()
    True
    """
    if os.environ.get(PLAIN_ENV, "") not in ("", "0"):
        return Switch(False, reason=f"{PLAIN_ENV} is set")
    from jacviz.plotting._fast._probe import probe  # the probe draws with the fast artists

    works, reason = probe()
    return Switch(works, reason=reason)
