"""The token gate and the class cap, in front of Solara's ASGI app.

Layer: classroom. Standard library only (plain ASGI: scope, receive, send).

Off loopback ``jacviz app`` asks for a token. A visitor brings it once in the
address (``?token=...``); the answer sets a cookie (HttpOnly, SameSite=Strict)
so the page's later requests and its WebSocket carry it. Anything else gets
HTTP 403, or a WebSocket closed with 1008 (policy violation). The comparison
takes the same time whatever the guess (:func:`hmac.compare_digest`).
"""

import hmac
import urllib.parse
from http.cookies import SimpleCookie

COOKIE = "jacviz-token"
REFUSED = b"jacviz app: this address needs the class token (?token=... in the address)."


class TokenGate:
    """ASGI middleware: let a request through only with the token (query or cookie).

    Parameters
    ----------
    app : ASGI application
        Solara's app.
    token : str or None
        The token; None lets everything through.

    Examples
    --------
    >>> gate = TokenGate(None, "s3cret-token")
    >>> gate.admits({"query_string": b"token=s3cret-token", "headers": []})
    True
    >>> gate.admits({"query_string": b"", "headers": [(b"cookie", b"jacviz-token=nope")]})
    False
    """

    def __init__(self, app, token):
        self.app, self.token = app, token

    def admits(self, scope):
        """Return True when ``scope`` (an HTTP or WebSocket request) carries the token."""
        if self.token is None:
            return True
        return any(_same(given, self.token) for given in _tokens_of(scope))

    async def __call__(self, scope, receive, send):
        """Pass an admitted request to the app; refuse the others."""
        if scope["type"] not in ("http", "websocket") or self.admits(scope):
            if scope["type"] == "http" and self.token is not None and _query_token(scope):
                send = _setting_cookie(send, self.token, scope.get("root_path") or "/")
            return await self.app(scope, receive, send)
        if scope["type"] == "websocket":
            return await send({"type": "websocket.close", "code": 1008})
        headers = [(b"content-type", b"text/plain; charset=utf-8")]
        await send({"type": "http.response.start", "status": 403, "headers": headers})
        return await send({"type": "http.response.body", "body": REFUSED})


def _tokens_of(scope):
    """Return the tokens a request offers: in its query string, then in its cookie."""
    offered = [_query_token(scope)]
    for name, value in scope.get("headers", []):
        if name == b"cookie":
            cookie = SimpleCookie()
            cookie.load(value.decode("latin-1"))
            if COOKIE in cookie:
                offered.append(cookie[COOKIE].value)
    return [token for token in offered if token]


def _query_token(scope):
    """Return the ``token`` of the query string, or None."""
    query = urllib.parse.parse_qs(scope.get("query_string", b"").decode("latin-1"))
    return query.get("token", [None])[-1]


def _same(given, token):
    """Compare in constant time."""
    return hmac.compare_digest(given.encode("utf-8"), token.encode("utf-8"))


def _setting_cookie(send, token, path):
    """Wrap ``send`` so the response start sets the token cookie."""
    cookie = f"{COOKIE}={token}; Path={path}; HttpOnly; SameSite=Strict".encode("latin-1")

    async def send_with_cookie(message):
        if message["type"] == "http.response.start":
            message = {**message, "headers": [*message.get("headers", []), (b"set-cookie", cookie)]}
        await send(message)

    return send_with_cookie
