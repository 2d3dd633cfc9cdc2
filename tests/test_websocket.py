"""``jacviz.app.websocket``: the kernel WebSocket with Nagle's algorithm off.

The round trip it shortens is measured by ``benchmarks/bench_browser.py``; the
browser tests run JupyterLab and Voila with it, as ``jacviz lab`` and ``jacviz
app`` do. Here: the socket gets ``TCP_NODELAY`` before Jupyter's own connection
code runs, everything else is left to Jupyter, and both commands ask for it.
"""

import importlib
import socket

import pytest
from ci import run_alone
from jupyter_server.services.kernels.connection.channels import ZMQChannelsWebsocketConnection
from jupyter_server.services.kernels.websocket import KernelWebsocketHandler

from jacviz.app import NO_DELAY_CONNECTION, voila_command
from jacviz.app._voila import APP_CONNECTION
from jacviz.app.websocket import REFUSED, V1_PROTOCOL, AppConnection, NoDelayConnection
from jacviz.cli._lab import lab_command


class SocketProtocol:
    """The part of tornado's WebSocket protocol ``set_nodelay`` reaches: a real TCP socket."""

    def __init__(self, sock):
        self.sock = sock

    def set_nodelay(self, value):
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, int(value))


class Handler(KernelWebsocketHandler):
    """Jupyter's kernel WebSocket handler on a socket, without a tornado application."""

    def __init__(self, protocol, subprotocol=None):  # tornado's wants an application, a request
        self.ws_connection = protocol
        self.subprotocol = subprotocol
        self.closed_with = None

    @property
    def selected_subprotocol(self):
        return self.subprotocol

    def close(self, code=None, reason=None):
        self.closed_with = (code, reason)


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
    module, name = APP_CONNECTION.rsplit(".", 1)
    assert importlib.import_module(module).__dict__[name] is AppConnection
    assert f"--Voila.kernel_websocket_connection_class={APP_CONNECTION}" in voila_command(
        "app.ipynb"
    )


@pytest.fixture
def jupyter_connection(monkeypatch):
    """Jupyter's own connection replaced by a recorder of what reached it."""
    reached = []
    monkeypatch.setattr(
        ZMQChannelsWebsocketConnection, "connect", lambda self: reached.append("connect")
    )
    monkeypatch.setattr(
        ZMQChannelsWebsocketConnection,
        "handle_incoming_message",
        lambda self, msg: reached.append(("message", msg)),
    )
    monkeypatch.setattr(
        ZMQChannelsWebsocketConnection, "disconnect", lambda self: reached.append("disconnect")
    )
    return reached


@pytest.mark.parametrize("subprotocol", [None, "", "v2.kernel.websocket.jupyter.org"])
def test_the_app_closes_a_client_without_the_v1_protocol(jupyter_connection, subprotocol):
    handler = Handler(None, subprotocol)
    connection = AppConnection(websocket_handler=handler)
    run_alone(connection.connect())
    connection.handle_incoming_message(b"\x00" * 64)
    connection.disconnect()
    assert handler.closed_with == (1008, f"jacviz app speaks the {V1_PROTOCOL} protocol only")
    assert handler.closed_with == REFUSED
    assert jupyter_connection == []  # Jupyter never connected it, saw nothing, undid nothing


def test_the_app_connects_a_v1_client_as_jupyter_does(jupyter_connection, tcp_socket):
    handler = Handler(SocketProtocol(tcp_socket), V1_PROTOCOL)
    connection = AppConnection(websocket_handler=handler)
    run_alone(connection.connect())
    connection.handle_incoming_message(b"message")
    connection.disconnect()
    assert handler.closed_with is None
    assert jupyter_connection == ["connect", ("message", b"message"), "disconnect"]
    assert tcp_socket.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) == 1
