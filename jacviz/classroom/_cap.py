"""The class cap: at most N live sessions, the next visitor asked to come back.

Layer: classroom. Standard library only; counts Solara's live virtual kernels.
"""

from jacviz.app import full_message


class ClassCap:
    """ASGI middleware: answer a new page with HTTP 503 while ``max_sessions`` are live.

    A session is a Solara virtual kernel: made when a page connects, dropped
    ``--cull-after`` seconds after its page went away. Only new pages are
    refused; the scripts and the WebSocket of a page already served get through.

    Parameters
    ----------
    app : ASGI application
    max_sessions : int
        The cap; 0 for none.
    live : callable, optional
        Returns the number of live sessions; Solara's count when omitted.

    Examples
    --------
    >>> ClassCap(None, 2, live=lambda: 2).full(), ClassCap(None, 0, live=lambda: 9).full()
    (True, False)
    """

    def __init__(self, app, max_sessions, live=None):
        self.app, self.max_sessions = app, max_sessions
        self.live = live or solara_sessions

    def full(self):
        """Return True when ``max_sessions`` sessions are live."""
        return 0 < self.max_sessions <= self.live()

    async def __call__(self, scope, receive, send):
        """Refuse a new page when full; pass everything else to the app."""
        if scope["type"] == "http" and _is_page(scope) and self.full():
            body = full_message(self.max_sessions).encode("ascii")
            headers = [(b"content-type", b"text/plain; charset=utf-8"), (b"retry-after", b"60")]
            await send({"type": "http.response.start", "status": 503, "headers": headers})
            return await send({"type": "http.response.body", "body": body})
        return await self.app(scope, receive, send)


def solara_sessions():
    """Return the number of Solara's live virtual kernels (one per page, until culled)."""
    from solara.server import kernel_context

    return len(kernel_context.contexts)


def _is_page(scope):
    """Whether an HTTP request asks for the page itself (not a script, style or API call)."""
    path = scope["path"].removeprefix(scope.get("root_path", ""))
    return scope.get("method") == "GET" and path in ("", "/")
