"""``jacviz.app.websocket``: the kernel WebSocket with Nagle's algorithm off.

The round trip it shortens is measured by ``benchmarks/bench_browser.py``; the
browser tests run JupyterLab and Voila with it, as ``jacviz lab`` and ``jacviz
app`` do. Here: the socket gets ``TCP_NODELAY`` before Jupyter's own connection
code runs, everything else is left to Jupyter, and both commands ask for it.
"""

import importlib
import socket

import pytest
from jupyter_server.services.kernels.connection.channels import ZMQChannelsWebsocketConnection
from jupyter_server.services.kernels.websocket import KernelWebsocketHandler

from jacviz.app import NO_DELAY_CONNECTION, voila_command
from jacviz.app.websocket import NoDelayConnection
from jacviz.cli._lab import lab_command


class SocketProtocol:
    """The part of tornado's WebSocket protocol ``set_nodelay`` reaches: a real TCP socket."""

    def __init__(self, sock):
        self.sock = sock

    def set_nodelay(self, value):
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, int(value))


class Handler(KernelWebsocketHandler):
    """Jupyter's kernel WebSocket handler on a socket, without a tornado application."""

    def __init__(self, protocol):  # tornado's own __init__ wants an application and a request
        self.ws_connection = protocol


@pytest.fixture
def tcp_socket():
    with (
        socket.create_server(("127.0.0.1", 0)) as server,
        socket.create_connection(server.getsockname()),
    ):
        accepted, _ = server.accept()
        with accepted:
            assert accepted.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) == 0
            yield accepted


def test_the_browser_socket_gets_tcp_nodelay_then_jupyter_connects(tcp_socket, monkeypatch):
    seen = []

    def connect(self):  # Jupyter's own: what it sees of the socket, and its future
        seen.append(tcp_socket.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))
        return "connected"

    monkeypatch.setattr(ZMQChannelsWebsocketConnection, "connect", connect)
    connection = NoDelayConnection(websocket_handler=Handler(SocketProtocol(tcp_socket)))
    assert connection.connect() == "connected"
    assert seen == [1]


def test_a_handler_without_a_socket_is_left_to_jupyter(monkeypatch):
    monkeypatch.setattr(ZMQChannelsWebsocketConnection, "connect", lambda self: "connected")
    assert NoDelayConnection(websocket_handler=Handler(None)).connect() == "connected"


def test_jacviz_lab_and_jacviz_app_ask_for_it():
    module, name = NO_DELAY_CONNECTION.rsplit(".", 1)
    assert importlib.import_module(module).__dict__[name] is NoDelayConnection
    lab = lab_command(["--port=8890"], as_root=False)
    assert f"--ServerApp.kernel_websocket_connection_class={NO_DELAY_CONNECTION}" in lab
    assert lab.index("--port=8890") > lab.index(  # the user's options come last and win
        f"--ServerApp.kernel_websocket_connection_class={NO_DELAY_CONNECTION}"
    )
    assert f"--Voila.kernel_websocket_connection_class={NO_DELAY_CONNECTION}" in voila_command(
        "app.ipynb"
    )
