"""A student without a browser: the Jupyter widget protocol over the kernel WebSocket.

What a page's JavaScript does, in Python (tornado's asyncio HTTP and WebSocket
clients), for the class load test (``benchmarks/bench_classroom.py --clients
protocol``) and its e2e test: fetch the page and the static files a browser
fetches, connect to the kernel's WebSocket, get every widget's state, change a
control's state and wait for the explorer's next picture. No JavaScript runs and
nothing is drawn, so the client costs the machine little and what is measured is
the server's share.

Two servers (:data:`SERVERS`):

* ``voila``: the page is rendered by the server and names its kernel
  (``"kernelId"``); the client asks ``jupyter.widget.control`` for every state
  (``request_states``), as Voila's page does.
* ``solara``: the client names a new kernel (a uuid) and the page id; it opens
  ``solara.control`` and sends ``run`` (the arguments Solara's page sends);
  the app's widgets then arrive as ``comm_open`` messages.

Messages to Voila use jupyter-server's ``v1.kernel.websocket.jupyter.org``
protocol (what Voila's page asks for, and the only one ``jacviz app`` accepts):
binary frames of 64-bit little-endian offsets, the channel, the message's four
JSON parts and its buffers. Solara speaks the first format (no subprotocol), as
its page does: a JSON text frame, or a binary frame ``[n][offsets…][JSON][buffers…]``
(32-bit big-endian) when a message has buffers. Widgets are found by the
explorer's CSS hooks (``_dom_classes``: ``jacviz-function``, ``jacviz-status``…,
see ``explorer_page.py``).
"""

import asyncio
import datetime
import itertools
import json
import math
import re
import struct
import urllib.parse
import uuid

from tornado.httpclient import AsyncHTTPClient, HTTPRequest
from tornado.websocket import websocket_connect

SERVERS = ("voila", "solara")
V1_PROTOCOL = "v1.kernel.websocket.jupyter.org"
#: Seconds an HTTP request may take (a browser waits long for a page that starts a
#: kernel; :meth:`ProtocolPage.open` bounds the whole).
HTTP_TIMEOUT = 600.0
#: Static files fetched at once per page, as a browser does per host.
FETCHES_AT_ONCE = 6
RENDER_COUNT = re.compile(r"render #(\d+)")
VOILA_KERNEL = re.compile(r'"kernelId": "([0-9a-f-]+)"')
#: What Solara's page sends on its ``solara.control`` comm to start the app.
SOLARA_RUN = {"method": "run", "args": {"path": "/", "dark": False, "themes": {}, "appName": None}}


def decode(frame):
    """Return the message in a WebSocket frame (``buffers``: a list of bytes).

    Examples
    --------
    >>> decode('{"msg_type": "status", "content": {}}')["buffers"]
    []
    >>> body = b'{"msg_type": "comm_msg"}'
    >>> frame = struct.pack("!III", 2, 12, 12 + len(body)) + body + b"PNG"
    >>> msg = decode(frame)
    >>> msg["msg_type"], msg["buffers"]
    ('comm_msg', [b'PNG'])
    """
    if isinstance(frame, str):
        return dict(json.loads(frame), buffers=[])
    (count,) = struct.unpack("!I", frame[:4])
    offsets = [*struct.unpack(f"!{count}I", frame[4 : 4 * (count + 1)]), len(frame)]
    parts = [frame[start:stop] for start, stop in itertools.pairwise(offsets)]
    return dict(json.loads(parts[0]), buffers=parts[1:])


def encode_v1(msg):
    """Return ``msg`` (with ``channel``) as a ``v1.kernel.websocket.jupyter.org`` frame.

    Examples
    --------
    >>> msg = {"channel": "shell", "header": {"msg_type": "comm_msg"}, "parent_header": {},
    ...        "metadata": {}, "content": {"data": {}}, "buffers": [b"PNG"]}
    >>> back = decode_v1(encode_v1(msg))
    >>> back["channel"], back["msg_type"], back["content"], back["buffers"]
    ('shell', 'comm_msg', {'data': {}}, [b'PNG'])
    """
    parts = [
        json.dumps(msg[key]).encode() for key in ("header", "parent_header", "metadata", "content")
    ]
    parts = [msg["channel"].encode(), *parts, *msg.get("buffers", [])]
    offsets = [8 * (len(parts) + 2)]
    for part in parts:
        offsets.append(offsets[-1] + len(part))
    head = [len(offsets).to_bytes(8, "little")] + [o.to_bytes(8, "little") for o in offsets]
    return b"".join(head + parts)


def decode_v1(frame):
    """Return the message in a ``v1.kernel.websocket.jupyter.org`` frame (see :func:`encode_v1`)."""
    count = int.from_bytes(frame[:8], "little")
    offsets = [int.from_bytes(frame[8 * (i + 1) : 8 * (i + 2)], "little") for i in range(count)]
    parts = [frame[start:stop] for start, stop in itertools.pairwise(offsets)]
    keys = ("header", "parent_header", "metadata", "content")
    msg = {key: json.loads(part) for key, part in zip(keys, parts[1:5], strict=True)}
    return dict(
        msg, channel=parts[0].decode(), msg_type=msg["header"]["msg_type"], buffers=parts[5:]
    )


def with_buffers(state, buffer_paths, buffers):
    """Put ``buffers`` into ``state`` at ``buffer_paths`` (lists of keys); return ``state``.

    Examples
    --------
    >>> with_buffers({"value": None, "x": 1}, [["value"]], [b"PNG"])
    {'value': b'PNG', 'x': 1}
    """
    for path, buffer in zip(buffer_paths, buffers, strict=True):
        target = state
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = bytes(buffer)
    return state


class ClassFull(RuntimeError):
    """The server refused a new page: its cap on kernels or sessions is reached."""


class Widgets:
    """The widgets' states a page holds: ``model_id -> state``, updated from messages."""

    def __init__(self):
        self.states = {}
        self.changed = asyncio.Event()

    def receive(self, msg):
        """Apply one iopub message (``comm_open``, ``comm_msg`` update / update_states)."""
        content, kind = msg.get("content", {}), msg.get("msg_type")
        data = content.get("data") or {}
        if kind == "comm_open" and content.get("target_name") == "jupyter.widget":
            state = with_buffers(
                data.get("state", {}), data.get("buffer_paths", []), msg["buffers"]
            )
            self.states[content["comm_id"]] = state
        elif kind == "comm_msg" and data.get("method") in ("update", "echo_update"):
            state = with_buffers(data["state"], data.get("buffer_paths", []), msg["buffers"])
            self.states.setdefault(content["comm_id"], {}).update(state)
        elif kind == "comm_msg" and data.get("method") == "update_states":
            states = with_buffers(data["states"], data.get("buffer_paths", []), msg["buffers"])
            for model_id, model in states.items():
                self.states.setdefault(model_id, {}).update(model["state"])
        else:
            return
        self.changed.set()

    def hooked(self, css_class):
        """Return the model id of the widget with ``css_class`` (None while there is none)."""
        for model_id, state in self.states.items():
            if css_class in state.get("_dom_classes", ()):
                return model_id
        return None

    def render_count(self):
        """The status line's ``render #N`` (-1 before the first picture)."""
        status = self.states.get(self.hooked("jacviz-status"), {})
        match = RENDER_COUNT.search(status.get("value", ""))
        return int(match.group(1)) if match else -1

    def picture(self):
        """The explorer's heatmap PNG (empty before the first picture)."""
        return self.states.get(self.hooked("jacviz-image"), {}).get("value") or b""

    def entries(self):
        """The model ids of the batch's number boxes, row by row."""
        grid = self.states.get(self.hooked("jacviz-batch-grid"), {})
        children = [child.removeprefix("IPY_MODEL_") for child in grid.get("children", ())]
        return [
            c for c in children if self.states.get(c, {}).get("_model_name") == "FloatTextModel"
        ]

    async def wait(self, ready, timeout):
        """Wait until ``ready()`` is true; raise :class:`TimeoutError` after ``timeout`` s."""

        async def until_ready():
            while not ready():
                self.changed.clear()
                await self.changed.wait()

        await asyncio.wait_for(until_ready(), timeout)


class ProtocolPage:
    """One page of the app, opened by a client that speaks the widget protocol."""

    def __init__(self, url, server, static=(), token=None):
        if server not in SERVERS:
            raise ValueError(f"server must be one of {SERVERS}, not {server!r}")
        self.url, self.server, self.static = url, server, list(static)
        self.token = token
        self.session = str(uuid.uuid4())
        self.kernel_id = None
        self.widgets = Widgets()
        self.frames = 0  # WebSocket frames, both ways
        #: Seconds from the start of :meth:`open` to the end of each step: ``page``,
        #: ``static``, ``connected``, ``widgets`` (the first state came) and ``picture``.
        self.phases = {}
        self.v1 = server == "voila"
        self._socket = None
        self._reader = None
        self._cookies = {}

    async def open(self, timeout):
        """Fetch the page and its static files, connect, wait for the first picture."""
        await asyncio.wait_for(self._open(), timeout)

    async def _open(self):
        start = asyncio.get_running_loop().time()

        def reached(phase):
            self.phases[phase] = asyncio.get_running_loop().time() - start

        page = await self._get(self.url + (f"?token={self.token}" if self.token else ""))
        if page.code == 503:
            raise ClassFull(page.body.decode(errors="replace"))
        reached("page")
        await self._fetch_static()
        reached("static")
        if self.server == "voila":
            kernel = VOILA_KERNEL.search(page.body.decode())
            if kernel is None:  # Voila's page without a kernel: the cap's message
                raise ClassFull(page.body.decode(errors="replace"))
            self.kernel_id = kernel.group(1)
            prefix = "api/kernels"
        else:
            self.kernel_id, prefix = str(uuid.uuid4()), "jupyter/api/kernels"
        address = self.url.replace("http", "ws", 1) + prefix
        request = HTTPRequest(
            f"{address}/{self.kernel_id}/channels?session_id={self.session}"
            + (f"&token={self.token}" if self.token else ""),
            headers=self._cookie_header(),
        )
        self._socket = await websocket_connect(
            request, max_message_size=2**28, subprotocols=[V1_PROTOCOL] if self.v1 else None
        )
        reached("connected")
        self._reader = asyncio.ensure_future(self._read())
        await self._start()
        await self.widgets.wait(lambda: bool(self.widgets.states), math.inf)
        reached("widgets")
        await self.widgets.wait(self._has_picture, math.inf)
        reached("picture")

    async def edit(self, action, value, timeout):
        """Make one of a student's edits (see :func:`edit_state`) and wait for its picture.

        Waits (within ``timeout`` s) for the control to be there, as a browser
        waits for the element, sends its new state, and returns when the status
        line counts the next render and a new picture has arrived.
        """
        deadline = asyncio.get_running_loop().time() + timeout
        count, picture = self.widgets.render_count(), self.widgets.picture()
        await self.widgets.wait(lambda: edit_state(self.widgets, action, value), timeout)
        model_id, state = edit_state(self.widgets, action, value)
        self._send(
            "comm_msg",
            {"comm_id": model_id, "data": {"method": "update", "state": state, "buffer_paths": []}},
        )

        def drawn():
            return self.widgets.render_count() > count and self.widgets.picture() != picture

        await self.widgets.wait(drawn, deadline - asyncio.get_running_loop().time())

    async def close(self):
        """Drop the connection, as a closed laptop does (no shutdown request)."""
        if self._socket is not None:
            self._socket.close()
        if self._reader is not None:
            self._reader.cancel()
            await asyncio.gather(self._reader, return_exceptions=True)

    def _has_picture(self):
        return self.widgets.render_count() >= 0 and bool(self.widgets.picture())

    async def _start(self):
        comm_id = uuid.uuid4().hex
        if self.server == "voila":
            self._send(
                "comm_open",
                {"comm_id": comm_id, "target_name": "jupyter.widget.control", "data": {}},
                {"version": "1.0.0"},
            )
            self._send("comm_msg", {"comm_id": comm_id, "data": {"method": "request_states"}})
        else:
            self._send(
                "comm_open", {"comm_id": comm_id, "target_name": "solara.control", "data": {}}
            )
            self._send("comm_msg", {"comm_id": comm_id, "data": SOLARA_RUN})

    async def _read(self):
        while (frame := await self._socket.read_message()) is not None:
            self.frames += 1
            msg = decode_v1(frame) if self.v1 else decode(frame)
            if msg.get("channel") == "iopub":
                self.widgets.receive(msg)

    def _send(self, msg_type, content, metadata=None):
        header = {
            "msg_id": uuid.uuid4().hex,
            "msg_type": msg_type,
            "session": self.session,
            "username": "",
            "version": "5.3",
            "date": datetime.datetime.now(datetime.timezone.utc).isoformat(),
        }
        msg = {
            "header": header,
            "parent_header": {},
            "metadata": metadata or {},
            "content": content,
            "channel": "shell",
            "buffers": [],
        }
        self.frames += 1
        if self.v1:
            self._socket.write_message(encode_v1(msg), binary=True)
        else:
            self._socket.write_message(json.dumps(msg))

    async def _get(self, url, redirects=5):
        """GET ``url``, following redirects and keeping the cookies each answer sets."""
        for _ in range(redirects + 1):
            response = await AsyncHTTPClient().fetch(
                url,
                headers=self._cookie_header(),
                follow_redirects=False,
                raise_error=False,
                connect_timeout=HTTP_TIMEOUT,
                request_timeout=HTTP_TIMEOUT,
            )
            for cookie in response.headers.get_list("Set-Cookie"):
                name, _, value = cookie.split(";", 1)[0].partition("=")
                self._cookies[name.strip()] = value.strip()
            if response.code not in (301, 302, 303, 307, 308):
                if response.code != 503:
                    response.rethrow()
                return response
            url = urllib.parse.urljoin(url, response.headers["Location"])
        raise RuntimeError(f"more than {redirects} redirects from {self.url}")

    async def _fetch_static(self):
        """Fetch the static files, ``FETCHES_AT_ONCE`` at a time (no cache: a new browser)."""
        slots = asyncio.Semaphore(FETCHES_AT_ONCE)

        async def one(url):
            async with slots:
                await self._get(url)

        await asyncio.gather(*(one(url) for url in self.static))

    def _cookie_header(self):
        return (
            {"Cookie": "; ".join(f"{k}={v}" for k, v in self._cookies.items())}
            if self._cookies
            else {}
        )


def edit_state(widgets, action, value):
    """Return ``(model_id, state)`` for one of a student's edits; None while its control is missing.

    ``action`` is ``"formula"`` (the text), ``"entry"`` (``(index, number)``, row
    by row), ``"order"`` (a button's label) or ``"batch"`` (``"ArrowUp"`` or
    ``"ArrowDown"``: the batch size one up or down).

    Examples
    --------
    >>> widgets = Widgets()
    >>> widgets.states["f"] = {"_dom_classes": ["jacviz-function"], "value": "x**2"}
    >>> edit_state(widgets, "formula", "sin(x)")
    ('f', {'value': 'sin(x)'})
    >>> edit_state(widgets, "entry", (0, 1.5)) is None
    True
    """
    if action == "entry":
        index, number = value
        entries = widgets.entries()
        return (entries[index], {"value": number}) if index < len(entries) else None
    css_class = {
        "formula": "jacviz-function",
        "order": "jacviz-order",
        "batch": "jacviz-batch-size",
    }
    model_id = widgets.hooked(css_class[action])
    if model_id is None:
        return None
    state = widgets.states[model_id]
    if action == "formula":
        return model_id, {"value": value}
    if action == "order":
        return model_id, {"index": state["_options_labels"].index(value)}
    return model_id, {"value": state["value"] + {"ArrowUp": 1, "ArrowDown": -1}[value]}


async def open_when_admitted(page, tries=30, timeout=60.0):
    """Open ``page`` (a :class:`ProtocolPage`), trying again each second while the class is full.

    A kernel's place is free a moment after its page is gone (culling); tests
    sharing a capped server use this. Raises :class:`ClassFull` after ``tries``.
    """
    for attempt in range(tries):
        try:
            return await page.open(timeout)
        except ClassFull:
            if attempt == tries - 1:
                raise
            await asyncio.sleep(1.0)
