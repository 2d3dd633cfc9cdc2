"""One picture per user action: update requests held, merged and run once.

Layer: widget (private). Imports the standard library only.

A user action can change several pieces of state (a preset sets the
constants, the formula and the batch); each change asks for an update, and
the explorer must still draw once, at the end, from all of it. And while the
explorer writes the state back into its own controls, their change handlers
must not take that echo for a user's action. :class:`Updates` is both
switches, with no knowledge of widgets.
"""

import contextlib


class Updates:
    """Run ``update()`` once per user action, never for the explorer's own echo.

    A request outside any hold runs the update at once; inside
    :meth:`one_action` requests merge into one update when the outermost hold
    ends -- not when it ends by an exception (nothing half-done is drawn; the
    request waits for the next action). Inside :meth:`quietly` requests are
    dropped and :attr:`echoing` is true; the update itself runs quietly.

    Examples
    --------
    >>> drawn = []
    >>> updates = Updates(lambda: drawn.append(len(drawn)))
    >>> with updates.one_action():
    ...     updates.request()
    ...     updates.request()
    >>> drawn
    [0]
    """

    def __init__(self, update):
        self._update = update
        self._holds = 0
        self._pending = False
        self._echoes = 0

    @property
    def echoing(self):
        """bool: Whether the explorer is writing into its own controls now."""
        return self._echoes > 0

    @property
    def pending(self):
        """bool: Whether an update was asked for and has not run yet."""
        return self._pending

    def request(self):
        """Ask for an update: now, at the end of the action, or not at all while echoing."""
        if self._echoes:
            return
        if self._holds:
            self._pending = True
            return
        self._pending = False
        with self.quietly():
            self._update()

    @contextlib.contextmanager
    def one_action(self):
        """Merge the requests made inside into one update, run when the outermost hold ends."""
        self._holds += 1
        try:
            yield
        finally:
            self._holds -= 1
        if not self._holds and self._pending:
            self.request()

    @contextlib.contextmanager
    def quietly(self):
        """Let the explorer write into its controls: requests inside are dropped."""
        self._echoes += 1
        try:
            yield
        finally:
            self._echoes -= 1
