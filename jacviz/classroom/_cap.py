"""The class cap: at most N live sessions, the next visitor asked to come back.

Layer: classroom. Reads Solara's table of live virtual kernels.
"""

from solara.server import kernel_context

from jacviz.app import full_message


class ClassCap:
    """ASGI middleware: answer a new page with HTTP 503 while ``max_sessions`` are live.

    A session is a Solara virtual kernel: made when a page connects, dropped
    ``--cull-after`` seconds after its page went away. Only new pages are
    refused; the WebSocket of a page already served always gets through.

    Parameters
    ----------
    app : ASGI application
    max_sessions : int
        The cap; 0 for none.
    """

    def __init__(self, app, max_sessions):
        self.app, self.max_sessions = app, max_sessions

    def full(self):
        """Return True when ``max_sessions`` sessions are live."""
        return 0 < self.max_sessions <= len(kernel_context.contexts)

    async def __call__(self, scope, receive, send):
        """Refuse a new page when full; pass everything else to the app."""
        if scope["type"] == "http" and _is_page(scope) and self.full():
            body = full_message(self.max_sessions).encode("ascii")
            headers = [(b"content-type", b"text/plain; charset=utf-8"), (b"retry-after", b"60")]
            await send({"type": "http.response.start", "status": 503, "headers": headers})
            return await send({"type": "http.response.body", "body": body})
        return await self.app(scope, receive, send)


def _is_page(scope):
    """Whether an HTTP request asks for the page itself (not a script, style or API call)."""
    path = (
        scope["path"][len(scope.get("root_path", "")) :]
        if scope.get("root_path")
        else scope["path"]
    )
    return scope.get("method") == "GET" and path in ("", "/")
