"""The page's static files, read and compressed once, then answered from memory.

Layer: classroom. Standard library only (plain ASGI: scope, receive, send).

A student's first visit fetches 17 files from Solara, 6 MB (its page's
JavaScript, fonts and styles). Solara's server reads each from disk in 64 kB
pieces on a worker thread, uncompressed: 0.28 s of the server's CPU per student,
twice what the student's explorer costs, in the one process every student shares
(measured on the 2-core box, benchmarks/README.md, "Serving a class").
:class:`StaticCache` keeps each such file's first full answer and, for text, its
gzip form, and answers everyone after that from memory.
"""

import asyncio
import gzip

#: Where the page's static files are (Solara's, under any ``--base-url``).
STATIC_PREFIXES = ("/_solara/cdn/", "/static/", "/jupyter/nbextensions/")
#: What the cache may hold in all, and one file at most (bytes, gzip forms included).
MAX_CACHED_BYTES = 64 * 2**20
MAX_FILE_BYTES = 16 * 2**20
#: Content types worth compressing.
TEXT_TYPES = (b"text/", b"application/javascript", b"application/json", b"image/svg+xml")


class StaticCache:
    """ASGI middleware: answer GETs of the static files from memory, gzip when asked.

    Only complete 200 answers are kept (a 404 for a made-up path is not), keyed
    by path without the query string (``?v=...`` names the same file), at most
    ``max_bytes`` in all: past it, answers pass through uncached. Visitors
    asking for the same file at once wait for the first one's read.

    Parameters
    ----------
    app : ASGI application
        Solara's app (behind the class cap).
    prefixes : tuple of str, optional
        Paths (after ``root_path``) of static files.
    max_bytes : int, optional
        Most bytes kept.

    Examples
    --------
    >>> cache = StaticCache(None)
    >>> cache.cacheable({"type": "http", "method": "GET", "path": "/static/main.js"})
    True
    >>> cache.cacheable({"type": "http", "method": "GET", "path": "/jupyter/api/kernels"})
    False
    """

    def __init__(self, app, prefixes=STATIC_PREFIXES, max_bytes=MAX_CACHED_BYTES):
        self.app, self.prefixes, self.max_bytes = app, prefixes, max_bytes
        self.entries = {}  # path -> Entry
        self.size = 0
        self._locks = {}

    def cacheable(self, scope):
        """Return True for a GET of a static file."""
        if scope["type"] != "http" or scope.get("method") != "GET":
            return False
        return _route(scope).startswith(self.prefixes)

    async def __call__(self, scope, receive, send):
        """Answer a static file from memory (reading it once); pass the rest on."""
        if not self.cacheable(scope):
            return await self.app(scope, receive, send)
        path = _route(scope)
        wants_gzip = b"gzip" in _header(scope, b"accept-encoding")
        entry = self.entries.get(path)
        if entry is None:
            async with self._locks.setdefault(path, asyncio.Lock()):
                entry = self.entries.get(path)
                if entry is None:
                    entry = self._keep(path, *await _answer_of(self.app, scope, receive))
            self._locks.pop(path, None)
        await entry.send(send, wants_gzip)

    def _keep(self, path, status, headers, body):
        """Return the answer as an :class:`Entry`, kept (and gzipped) when it may be.

        An answer that is not kept is sent as it came: compressing it would be
        work repeated on every request for it.
        """
        if status != 200 or self.size + len(body) > self.max_bytes:
            return Entry(status, headers, body, compress=False)
        entry = Entry(status, headers, body)
        if entry.nbytes <= MAX_FILE_BYTES and self.size + entry.nbytes <= self.max_bytes:
            self.entries[path] = entry
            self.size += entry.nbytes
        return entry


class Entry:
    """One answer: status, headers, body, and the body's gzip form for text."""

    def __init__(self, status, headers, body, compress=True):
        self.status, self.headers, self.body = status, headers, body
        self.gzipped = None
        content_type = dict(headers).get(b"content-type", b"")
        encoded = any(name == b"content-encoding" for name, _ in headers)
        if compress and status == 200 and not encoded and content_type.startswith(TEXT_TYPES):
            packed = gzip.compress(body, compresslevel=6, mtime=0)
            if len(packed) < len(body):
                self.gzipped = packed
        self.nbytes = len(body) + len(self.gzipped or b"")

    async def send(self, send, wants_gzip):
        """Send this answer, the gzip form when the visitor accepts it and there is one."""
        body, headers = self.body, [h for h in self.headers if h[0] != b"content-length"]
        if self.gzipped is not None:
            headers.append((b"vary", b"Accept-Encoding"))
            if wants_gzip:
                body = self.gzipped
                headers.append((b"content-encoding", b"gzip"))
        headers.append((b"content-length", str(len(body)).encode()))
        await send({"type": "http.response.start", "status": self.status, "headers": headers})
        await send({"type": "http.response.body", "body": body})


async def _answer_of(app, scope, receive):
    """Run ``app`` on the request; return its whole answer: (status, headers, body)."""
    start, chunks = {}, []

    async def keep(message):
        if message["type"] == "http.response.start":
            start.update(message)
        elif message["type"] == "http.response.body":
            chunks.append(message.get("body", b""))

    await app(dict(scope, headers=_without(scope, b"accept-encoding")), receive, keep)
    return start.get("status", 500), list(start.get("headers", [])), b"".join(chunks)


def _route(scope):
    """Return the request's path under the app's ``root_path`` (its ``--base-url``)."""
    path, root = scope.get("path", ""), scope.get("root_path", "")
    return path[len(root) :] if root and path.startswith(root) else path


def _header(scope, name):
    return b",".join(value for key, value in scope.get("headers", []) if key.lower() == name)


def _without(scope, name):
    """Return the request's headers but ``name`` (the app answers plain; we compress)."""
    return [(key, value) for key, value in scope.get("headers", []) if key.lower() != name]
