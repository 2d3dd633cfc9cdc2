"""``jacviz.classroom._static``: the class server's static files read once, sent from memory."""

import asyncio
import gzip

import pytest
from ci import run_alone

from jacviz.classroom._static import StaticCache

SCRIPT = b"function explore() { return 'jacobian'; }\n" * 2000  # 86 kB of text
FILES = {
    "/static/main.js": (b"application/javascript", SCRIPT),
    "/_solara/cdn/font.woff2": (b"font/woff2", bytes(range(256)) * 40),
}


class Files:
    """An ASGI app serving ``FILES`` (404 otherwise) in 4 kB pieces, counting its reads."""

    def __init__(self):
        self.reads = []

    async def __call__(self, scope, receive, send):
        self.reads.append((scope["path"], dict(scope["headers"]).get(b"accept-encoding")))
        await asyncio.sleep(0)  # others may arrive meanwhile
        kind, body = FILES.get(
            scope["path"][len(scope.get("root_path", "")) :], (b"text/plain", b"no")
        )
        status = 200 if body != b"no" else 404
        headers = [(b"content-type", kind), (b"content-length", str(len(body)).encode())]
        await send({"type": "http.response.start", "status": status, "headers": headers})
        for at in range(0, len(body), 4096):
            more = at + 4096 < len(body)
            await send(
                {"type": "http.response.body", "body": body[at : at + 4096], "more_body": more}
            )


def _get(app, path, *, gzip_ok=False, root_path="", method="GET"):
    headers = [(b"accept-encoding", b"gzip, deflate, br")] if gzip_ok else []
    scope = {"type": "http", "method": method, "path": root_path + path, "root_path": root_path}
    scope.update(headers=headers, query_string=b"v=1")
    return _answers(app, [scope])[0]


def _answers(app, scopes):
    """Send the requests at once; return (status, headers dict, body) of each."""

    async def one(scope):
        sent = []

        async def receive():
            return {"type": "http.request"}

        async def send(message):
            sent.append(message)

        await app(scope, receive, send)
        start, *bodies = sent
        return start["status"], dict(start["headers"]), b"".join(b["body"] for b in bodies)

    async def all_at_once():
        return await asyncio.gather(*(one(scope) for scope in scopes))

    return run_alone(all_at_once())


def test_a_static_file_is_read_once_and_sent_whole_from_then_on():
    files = Files()
    cache = StaticCache(files)
    for _ in range(3):
        status, headers, body = _get(cache, "/static/main.js")
        assert (status, body) == (200, SCRIPT)
        assert headers[b"content-length"] == str(len(SCRIPT)).encode()
        assert headers[b"content-type"] == b"application/javascript"
    assert files.reads == [("/static/main.js", None)]


def test_text_goes_gzipped_to_whoever_accepts_it_and_plain_to_the_others():
    cache = StaticCache(Files())
    status, headers, body = _get(cache, "/static/main.js", gzip_ok=True)
    assert status == 200 and headers[b"content-encoding"] == b"gzip"
    assert gzip.decompress(body) == SCRIPT and len(body) < len(SCRIPT) // 20
    assert headers[b"content-length"] == str(len(body)).encode()
    assert headers[b"vary"] == b"Accept-Encoding"
    _, plain_headers, plain = _get(cache, "/static/main.js")
    assert plain == SCRIPT and b"content-encoding" not in plain_headers
    _, font_headers, font = _get(cache, "/_solara/cdn/font.woff2", gzip_ok=True)
    assert font == FILES["/_solara/cdn/font.woff2"][1] and b"content-encoding" not in font_headers


def test_a_class_asking_at_once_waits_for_one_read():
    files = Files()
    scope = {"type": "http", "method": "GET", "path": "/class/static/main.js"}
    scope.update(root_path="/class", headers=[], query_string=b"")
    answers = _answers(StaticCache(files), [dict(scope) for _ in range(30)])
    assert {(status, body) for status, _, body in answers} == {(200, SCRIPT)}
    assert len(files.reads) == 1


@pytest.mark.parametrize(
    "path, method",
    [("/static/missing.js", "GET"), ("/jupyter/api/kernels", "GET"), ("/static/main.js", "POST")],
)
def test_what_is_not_a_found_static_file_goes_to_the_app_every_time(path, method):
    files = Files()
    cache = StaticCache(files)
    first, second = _get(cache, path, method=method), _get(cache, path, method=method)
    assert first == second and len(files.reads) == 2
    assert cache.entries == {} and cache.size == 0


def test_past_its_budget_the_cache_passes_answers_through():
    files = Files()
    cache = StaticCache(files, max_bytes=len(SCRIPT))  # the script and its gzip do not fit
    assert _get(cache, "/static/main.js")[2] == _get(cache, "/static/main.js")[2] == SCRIPT
    assert len(files.reads) == 2 and cache.size == 0
    small = StaticCache(files, max_bytes=len(SCRIPT) - 1)  # not kept: sent as it came
    _, headers, body = _get(small, "/static/main.js", gzip_ok=True)
    assert body == SCRIPT and b"content-encoding" not in headers and small.size == 0
