"""IPython's event hooks on the class server: nothing to run, so nothing built per message.

Layer: classroom. Standard library only: the class server hands :func:`quiet_events`
Solara's ``patch`` module (the ``server`` extra), in the server process only.

Every widget message a page sends reaches ``comm``'s handler, which asks
``get_ipython()`` for the shell to trigger ``pre_execute`` and ``post_execute``
around it. In Solara (1.58) that call makes a new ``FakeIPython`` each time,
whose ``events`` is a new ``unittest.mock.MagicMock``; the mock's construction
and the child mocks its calls make took 8.6 % of the class server's CPU with
120 students (py-spy samples). No code on the class server registers an event,
so :class:`NoEvents` does what the mock did, nothing, without the mock's cost.
"""

import types


class NoEvents:
    """IPython's ``shell.events`` where no hook is registered: every call does nothing.

    Examples
    --------
    >>> events = NoEvents()
    >>> events.trigger("pre_execute"), events.register("post_execute", print)
    (None, None)
    """

    def __getattr__(self, name):
        """Return a function doing nothing for any hook method (``trigger``, ``register``, ...)."""
        if name.startswith("__"):
            raise AttributeError(name)
        return _nothing


def _nothing(*args, **kwargs):
    """Do nothing (an IPython event hook where none is registered)."""


def quiet_events(patch_module):
    """Make Solara's per-message ``FakeIPython`` take a :class:`NoEvents` instead of a mock.

    Parameters
    ----------
    patch_module : module
        ``solara.server.patch``, whose ``FakeIPython.__init__`` sets
        ``self.events = mock.MagicMock()``: its ``mock`` name is replaced by
        one whose ``MagicMock`` is :class:`NoEvents`.

    Returns
    -------
    bool
        True when done now, False when it was already done.

    Examples
    --------
    >>> fake = types.SimpleNamespace(mock=None)
    >>> quiet_events(fake), quiet_events(fake), fake.mock.MagicMock is NoEvents
    (True, False, True)
    """
    if getattr(patch_module.mock, "MagicMock", None) is NoEvents:
        return False
    patch_module.mock = types.SimpleNamespace(MagicMock=NoEvents)
    return True
